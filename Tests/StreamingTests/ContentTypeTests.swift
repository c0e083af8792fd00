import Streaming
import Testing
import TorrentModel

@Suite("Content types and caching")
struct ContentTypeTests {
    @Test(arguments: [
        ("master.m3u8", "application/vnd.apple.mpegurl"),
        ("media.M3U8", "application/vnd.apple.mpegurl"),
        ("init.mp4", "video/mp4"),
        ("segment-00000.m4s", "video/mp4"),
        ("SEGMENT.M4S", "video/mp4"),
        ("audio.m4a", "audio/mp4"),
        ("old.ts", "video/mp2t"),
        ("subtitles.en.vtt", "text/vtt"),
        ("index.html", "application/octet-stream"),
        ("image.svg", "application/octet-stream"),
        ("movie.mkv", "application/octet-stream"),
        ("playlist.m3u", "application/octet-stream"),
        ("m3u8", "application/octet-stream"),
        ("noextension", "application/octet-stream"),
        ("trailing.", "application/octet-stream"),
        ("a.m3u8.txt", "application/octet-stream"),
        ("a.txt.m3u8", "application/vnd.apple.mpegurl"),
        ("", "application/octet-stream"),
        (".m3u8", "application/vnd.apple.mpegurl"),
        ("a.mp4 ", "application/octet-stream"),
        ("a.ｍp4", "application/octet-stream"),
    ])
    func mediaTypeByExtension(name: String, mediaType: String) {
        #expect(ContentType(fileName: name).mediaType == mediaType)
    }

    @Test func typeOfAPathIsThatOfItsLastComponent() {
        #expect(ContentType(path: ["clip.m3u8", "segment.m4s"]) == .mp4Video)
        #expect(ContentType(path: ["dir.mp4", "readme"]) == .binary)
        #expect(ContentType(path: []) == .binary)
    }

    @Test func playlistsAreRevalidatedAndEverythingElseIsImmutable() {
        #expect(ContentType.playlist.cachePolicy.headerValue == "no-cache")
        for type in ContentType.allCases where type != .playlist {
            #expect(type.cachePolicy.headerValue == "public, max-age=31536000, immutable")
        }
        #expect(CachePolicy.noStore.headerValue == "no-store")
    }

    @Test func servedFileFromATorrentFile() {
        let file = TorrentFile(path: ["clip", "segment-00002.m4s"], length: 5000, offset: 65536)
        let served = ServedFile(infoHash: HTTPTestFixtures.infoHash, fileIndex: 5, file: file)
        #expect(served.length == 5000)
        #expect(served.contentType == .mp4Video)
        #expect(served.entityTag.headerValue == "\"\(HTTPTestFixtures.infoHashHex)-5-5000\"")
        #expect(!served.entityTag.isWeak)
    }
}
