import Foundation

/// ping, getLicense, getOpenSubsonicExtensions, getUser, getMusicFolders, getScanStatus.
enum SystemEndpoints {
    static let all: [(String, SubsonicAPI.Endpoint)] = [
        ("ping", { _ in .empty }),
        ("getLicense", { _ in license() }),
        ("getOpenSubsonicExtensions", { _ in extensions() }),
        ("getUser", getUser),
        ("getMusicFolders", getMusicFolders),
        ("getScanStatus", getScanStatus),
    ]

    static func license() -> Reply {
        var e = SubsonicElement("license")
        e.set("valid", true)
        return .one(e)
    }

    /// The OpenSubsonic extensions served, each at version 1.
    static let extensionNames = ["apiKeyAuthentication", "formPost", "sonicSimilarity"]

    static func extensions() -> Reply {
        .payload([
            .list(
                "openSubsonicExtensions",
                extensionNames.map { name in
                    var e = SubsonicElement("openSubsonicExtensions")
                    e.set("name", name)
                    e.add(ints: "versions", [1])
                    return e
                })
        ])
    }

    /// A listener may read only their own user.
    static func getUser(_ call: Call) throws -> Reply {
        let name = call.parameters["username"] ?? call.user.name
        guard name.lowercased() == call.user.name.lowercased() else {
            throw SubsonicError(.notAuthorized, "'\(call.user.name)' may not read user '\(name.prefix(60))'")
        }
        var e = SubsonicElement("user")
        e.set("username", call.user.name)
        e.set("scrobblingEnabled", true)
        for (role, allowed) in [
            ("adminRole", false), ("settingsRole", false), ("downloadRole", true), ("uploadRole", false),
            ("playlistRole", true), ("coverArtRole", false), ("commentRole", false), ("podcastRole", false),
            ("streamRole", true), ("jukeboxRole", false), ("shareRole", false), ("videoConversionRole", false),
        ] {
            e.set(role, allowed)
        }
        e.add(ints: "folder", call.catalogue.folders.indices.map { $0 + 1 })
        return .one(e)
    }

    static func getMusicFolders(_ call: Call) -> Reply {
        var e = SubsonicElement("musicFolders")
        e.add(
            list: "musicFolder",
            call.catalogue.folders.enumerated().map { n, path in
                var folder = SubsonicElement("musicFolder")
                folder.set("id", n + 1)
                folder.set("name", (path as NSString).lastPathComponent)
                return folder
            })
        return .one(e)
    }

    static func getScanStatus(_ call: Call) -> Reply {
        var e = SubsonicElement("scanStatus")
        e.set("scanning", false)
        e.set("count", call.catalogue.songs.count)
        return .one(e)
    }
}
