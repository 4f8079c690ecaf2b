/// Splits an Ogg byte stream into whole pages (RFC 3533, section 6), so a live stream can hand a new listener a
/// link's header pages followed by audio pages, never a page cut in half.
struct OggPages {
    struct Page {
        var bytes: [UInt8]
        /// The granule position: 0 on an Opus link's header pages (OpusHead, OpusTags).
        var granule: Int64
        var beginsStream: Bool
    }

    private var pending: [UInt8] = []

    /// The pages completed by `bytes`; a partial page waits for the rest.
    mutating func split(_ bytes: [UInt8]) -> [Page] {
        pending += bytes
        var pages: [Page] = []
        var offset = 0
        while pending.count - offset >= 27 {
            guard pending[offset] == 0x4F, pending[offset + 1] == 0x67, pending[offset + 2] == 0x67,
                pending[offset + 3] == 0x53
            else {
                // Not at a capture pattern: resynchronise on the next "OggS".
                offset += 1
                continue
            }
            let segments = Int(pending[offset + 26])
            guard pending.count - offset >= 27 + segments else { break }
            var length = 27 + segments
            for k in 0..<segments { length += Int(pending[offset + 27 + k]) }
            guard pending.count - offset >= length else { break }
            var granule: UInt64 = 0
            for k in 0..<8 { granule |= UInt64(pending[offset + 6 + k]) << (8 * UInt64(k)) }
            pages.append(
                Page(
                    bytes: Array(pending[offset..<(offset + length)]), granule: Int64(bitPattern: granule),
                    beginsStream: pending[offset + 5] & 0x02 != 0))
            offset += length
        }
        pending.removeFirst(offset)
        return pages
    }
}
