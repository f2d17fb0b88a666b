import SpamStore

/// Which store holds a user's own examples and model, for `--user NAME` and, with `serve.user_stores`, for the
/// user a daemon's client names (spamd's `User`): with that setting, the store its template names (a file, or a
/// share of a shared store: `postgresql://…?hamlet_user=%u`); else, in a shared store (a URL), the user's share of
/// the same database.
extension HamletConfiguration {
    /// `user`'s own store beside the site store `site`; nil when there are no per-user stores or the name cannot
    /// name one (see `isSafeUserName`).
    public func userStore(for user: String, site: String) -> String? {
        guard Self.isSafeUserName(user) else { return nil }
        if let template = userStoreTemplate { return template.replacingAll("%u", with: user) }
        if StoreOpener.isURL(site) { return StoreOpener.share(of: site, user: user) }
        return nil
    }

    /// The store a command uses: `explicit` (`--db`) or the configured one, or in it `user`'s own (`--user`).
    public func storeLocation(explicit: String?, user: String?) throws -> String {
        let site = resolvedStorePath(explicit: explicit)
        guard let user else { return site }
        guard Self.isSafeUserName(user) else {
            throw HamletError.usage(
                "--user \(user): a user name is letters, digits and ._-@+, and does not start with a dot")
        }
        guard let own = userStore(for: user, site: site) else {
            throw HamletError.usage(
                "--user needs stores per user: a shared store (a postgresql:// URL) or serve.user_stores in the configuration"
            )
        }
        return own
    }

    /// A user name that can stand in a path: letters, digits and `._-@+`, not starting with a dot.
    public static func isSafeUserName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 128 && name.first != "."
            && name.unicodeScalars.allSatisfy {
                $0.isASCII
                    && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-@+".unicodeScalars.contains($0))
            }
    }
}

extension String {
    /// The string with every `target` replaced by `replacement`.
    public func replacingAll(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
