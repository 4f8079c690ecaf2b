import Foundation

/// A regular file found by the scan.
public struct ScannedFile: Sendable, Equatable {
    /// Absolute path.
    public var path: String
    public var sizeBytes: Int64
    /// Modification time, nanoseconds since 1970.
    public var modificationNanoseconds: Int64
}

/// Walks folders recursively with `readdir`/`stat` (no per-file Foundation attribute dictionaries, so a library of
/// tens of thousands of files is listed in well under a second).
///
/// Hidden files and folders (names starting with ".") are skipped. Symbolic links to files are followed; links to
/// folders are not descended, so a link cycle cannot trap the walk.
public enum FolderScanner {
    /// Extensions that are never audio: not worth a probe by the decoder.
    static let knownNonAudio: Set<String> = [
        "jpg", "jpeg", "png", "gif", "bmp", "webp", "tif", "tiff", "txt", "nfo", "log", "cue", "m3u", "m3u8", "pls",
        "pdf", "md", "json", "xml", "db", "ini", "url", "html", "htm", "sfv", "md5", "lrc", "doc", "docx", "zip", "rar",
        "7z", "sqlite", "sqlite-wal", "sqlite-shm", "partial", "ds_store",
    ]

    /// Extensions of audio formats; a file with one of these that does not decode is a failure, while any other
    /// file that does not decode is simply not audio.
    public static let audioExtensions: Set<String> = [
        "wav", "wave", "aif", "aiff", "aifc", "flac", "ogg", "oga", "opus", "mp3", "caf", "w64", "rf64", "au", "snd",
        "m4a", "aac", "wma", "mp2", "mpga", "alac", "ape", "wv",
    ]

    /// Lists candidate audio files under `root` (a folder or a single file), sorted by path.
    ///
    /// - Throws: `IngestError` (`.unscannable`) when `root` does not exist or cannot be read.
    public static func scan(_ root: String) throws(IngestError) -> [ScannedFile] {
        let absolute = URL(fileURLWithPath: root).standardizedFileURL.path
        var info = stat()
        guard stat(absolute, &info) == 0 else {
            throw IngestError(.unscannable, path: root, reason: String(cString: strerror(errno)))
        }
        if (info.st_mode & S_IFMT) == S_IFREG {
            return [file(absolute, info)]
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            throw IngestError(.unscannable, path: root, reason: "not a file or folder")
        }
        guard let directory = opendir(absolute) else {
            throw IngestError(.unscannable, path: root, reason: String(cString: strerror(errno)))
        }
        closedir(directory)
        var files: [ScannedFile] = []
        walk(absolute, into: &files)
        return files.sorted { $0.path < $1.path }
    }

    /// Whether a file with this name is worth handing to the decoder.
    static func isCandidate(name: String) -> Bool {
        let ext = (name as NSString).pathExtension.lowercased()
        return !knownNonAudio.contains(ext)
    }

    private static func walk(_ folder: String, into files: inout [ScannedFile]) {
        guard let directory = opendir(folder) else { return }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name.hasPrefix(".") { continue }
            let path = folder == "/" ? "/" + name : folder + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                walk(path, into: &files)
            case S_IFREG:
                if isCandidate(name: name) { files.append(file(path, info)) }
            case S_IFLNK:
                var target = stat()
                if stat(path, &target) == 0, (target.st_mode & S_IFMT) == S_IFREG, isCandidate(name: name) {
                    files.append(file(path, target))
                }
            default:
                continue
            }
        }
    }

    private static func file(_ path: String, _ info: stat) -> ScannedFile {
        #if canImport(Darwin)
            let modified = info.st_mtimespec  // Darwin's name for POSIX st_mtim
        #else
            let modified = info.st_mtim
        #endif
        return ScannedFile(
            path: path, sizeBytes: Int64(info.st_size),
            modificationNanoseconds: Int64(modified.tv_sec) * 1_000_000_000 + Int64(modified.tv_nsec))
    }
}
