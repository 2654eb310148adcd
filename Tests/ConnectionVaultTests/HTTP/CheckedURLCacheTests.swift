@testable import ConnectionVault
import Testing

@Suite("Checked URL cache")
struct CheckedURLCacheTests {
    @Test func aRepeatedURLGetsTheSameAnswerAsCheckingAgain() throws {
        let cache = CheckedURLCache()
        let policy = URLPolicy()
        let url = "http://127.0.0.1:8080/me"
        let first = try cache.check(url, with: policy)
        #expect(cache.rememberedURL == url)
        #expect(try cache.check(url, with: policy) == first)
        #expect(first == (try policy.check(url)))
        let other = try cache.check("https://api.example.com/v1/me", with: policy)
        #expect(other.origin.host == "api.example.com")
        #expect(cache.rememberedURL == "https://api.example.com/v1/me")
    }

    @Test func aURLAllowedUnderOnePolicyIsJudgedAgainUnderAnother() throws {
        let cache = CheckedURLCache()
        let url = "http://api.example.com/me"
        _ = try cache.check(url, with: URLPolicy(allowPlainHTTP: true))
        #expect {
            try cache.check(url, with: URLPolicy())
        } throws: { error in
            guard case .refused(let violation) = error as? HTTPError else { return false }
            return violation.rule == .plainHTTPNotLoopback
        }
    }

    @Test func urlsWithAQueryOrUserInformationAreNotKept() throws {
        let cache = CheckedURLCache()
        _ = try cache.check("https://api.example.com/me", with: URLPolicy())
        _ = try cache.check("https://api.example.com/me?api_key=s3cret-value", with: URLPolicy())
        _ = try cache.check("https://user:s3cret-value@api.example.com/me", with: URLPolicy())
        #expect(cache.rememberedURL == "https://api.example.com/me")
    }

    @Test func aRefusedURLIsNotKept() {
        let cache = CheckedURLCache()
        #expect(throws: HTTPError.self) { try cache.check("ftp://example.com/file", with: URLPolicy()) }
        #expect(cache.rememberedURL == nil)
    }
}
