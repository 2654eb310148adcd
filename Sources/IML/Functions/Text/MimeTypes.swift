/// The media types `mime()` knows, by lower-case file extension.
enum MimeTypes {
    static func type(forFilename filename: String) -> String? {
        guard let dot = filename.lastIndex(of: ".") else { return nil }
        let extensionText = filename[filename.index(after: dot)...].lowercased()
        return table[extensionText]
    }

    private static let table: [String: String] = [
        // Text and data
        "txt": "text/plain", "text": "text/plain", "log": "text/plain", "csv": "text/csv",
        "tsv": "text/tab-separated-values",
        "htm": "text/html", "html": "text/html", "css": "text/css", "js": "text/javascript", "mjs": "text/javascript",
        "md": "text/markdown", "markdown": "text/markdown", "ics": "text/calendar", "vcf": "text/vcard",
        "rtf": "application/rtf", "xml": "application/xml", "json": "application/json",
        "jsonld": "application/ld+json", "yaml": "application/yaml", "yml": "application/yaml",
        "pdf": "application/pdf", "wasm": "application/wasm", "bin": "application/octet-stream",
        "exe": "application/octet-stream", "eml": "message/rfc822",
        // Images
        "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "jpe": "image/jpeg", "gif": "image/gif",
        "bmp": "image/bmp", "webp": "image/webp", "svg": "image/svg+xml", "svgz": "image/svg+xml",
        "ico": "image/vnd.microsoft.icon", "tif": "image/tiff", "tiff": "image/tiff", "heic": "image/heic",
        "heif": "image/heif", "avif": "image/avif", "psd": "image/vnd.adobe.photoshop",
        // Audio
        "mp3": "audio/mpeg", "wav": "audio/wav", "ogg": "audio/ogg", "oga": "audio/ogg", "opus": "audio/opus",
        "flac": "audio/flac", "aac": "audio/aac", "m4a": "audio/mp4", "mid": "audio/midi", "midi": "audio/midi",
        "weba": "audio/webm",
        // Video
        "mp4": "video/mp4", "m4v": "video/mp4", "mpeg": "video/mpeg", "mpg": "video/mpeg", "mov": "video/quicktime",
        "avi": "video/x-msvideo", "wmv": "video/x-ms-wmv", "webm": "video/webm", "ogv": "video/ogg",
        "mkv": "video/x-matroska", "3gp": "video/3gpp", "flv": "video/x-flv",
        // Archives
        "zip": "application/zip", "gz": "application/gzip", "tgz": "application/gzip", "tar": "application/x-tar",
        "bz2": "application/x-bzip2", "7z": "application/x-7z-compressed", "rar": "application/vnd.rar",
        "xz": "application/x-xz",
        // Office
        "doc": "application/msword",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls": "application/vnd.ms-excel",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "ppt": "application/vnd.ms-powerpoint",
        "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "odt": "application/vnd.oasis.opendocument.text", "ods": "application/vnd.oasis.opendocument.spreadsheet",
        "odp": "application/vnd.oasis.opendocument.presentation", "epub": "application/epub+zip",
        // Fonts
        "ttf": "font/ttf", "otf": "font/otf", "woff": "font/woff", "woff2": "font/woff2",
    ]
}
