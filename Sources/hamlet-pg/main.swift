import HamletCommands
import PostgresStore

// `hamlet` with the PostgreSQL store: the same commands, and postgresql:// locations open.
PostgresStore.registerOpener()
Hamlet.main()
