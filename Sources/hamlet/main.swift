import HamletCommands

Hamlet.main()
