import FluentKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import ShinraiTestSupport
import Testing
@testable import ShinraiKit

@Suite("Form bodies: URL-encoded and multipart with files")
struct FormDataTests {
    static func multipart(_ boundary: String, _ parts: [String]) -> ByteBuffer {
        ByteBuffer(string: parts.map { "--\(boundary)\r\n\($0)\r\n" }.joined() + "--\(boundary)--\r\n")
    }

    @Test("text fields and a file with a Japanese name, CRLF inside and a path prefix")
    func fieldsAndFile() {
        let body = Self.multipart("XyZ", [
            "Content-Disposition: form-data; name=\"_csrf\"\r\n\r\nabc",
            "Content-Disposition: form-data; name=\"title\"\r\n\r\n議事録の要約\r\n2行目",
            "Content-Disposition: form-data; name=\"file\"; filename=\"C:\\\\Users\\\\me\\\\申告一覧.csv\"\r\nContent-Type: text/csv\r\n\r\n\u{FEFF}a,b\r\n1,2",
        ])
        let form = FormData(buffer: body, contentType: "multipart/form-data; boundary=XyZ")
        #expect(form.first("_csrf") == "abc")
        #expect(form.first("title") == "議事録の要約\r\n2行目")
        let file = try? #require(form.file("file"))
        #expect(file?.filename == "申告一覧.csv")
        #expect(file?.contentType == "text/csv")
        #expect(file?.text == "a,b\r\n1,2")
        #expect(form.first("file") == nil)
    }

    @Test("a quoted boundary, an empty file input and a semicolon inside a quoted name")
    func quotedBoundaryAndEmptyFile() {
        let body = Self.multipart("a b;c", [
            "Content-Disposition: form-data; name=\"note;x\"\r\n\r\n",
            "Content-Disposition: form-data; name=\"evidence\"; filename=\"\"\r\nContent-Type: application/octet-stream\r\n\r\n",
        ])
        let form = FormData(buffer: body, contentType: "multipart/form-data; charset=utf-8; boundary=\"a b;c\"")
        #expect(form.first("note;x") == "")
        #expect(form.files.isEmpty)
    }

    @Test("binary content is kept byte for byte; malformed bodies give what was complete")
    func binaryAndMalformed() {
        var buffer = ByteBuffer(string: "--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.bin\"\r\n\r\n")
        let bytes: [UInt8] = [0, 255, 13, 10, 45, 45, 98, 1]   // contains CRLF "--b" but not CRLF "--b" + delimiter end
        buffer.writeBytes(bytes)
        buffer.writeString("\r\n--b\r\nContent-Disposition: form-data; name=\"cut\"\r\n\r\nno end")
        let form = FormData(buffer: buffer, contentType: "multipart/form-data; boundary=b")
        #expect(form.files.count == 1)
        #expect(Array(form.file("f")?.data ?? Data()) == [0, 255])
        #expect(form.first("cut") == nil)
        #expect(FormData(buffer: ByteBuffer(string: "garbage"), contentType: "multipart/form-data; boundary=b").pairs.isEmpty)
        #expect(FormData(buffer: ByteBuffer(string: "a=1"), contentType: "multipart/form-data").pairs.isEmpty)
    }

    @Test("URL-encoded forms are unchanged")
    func urlEncoded() {
        let form = FormData(buffer: ByteBuffer(string: "a=%E6%97%A5+%E6%9C%AC&b=&a=2"), contentType: "application/x-www-form-urlencoded; charset=UTF-8")
        #expect(form.all("a") == ["日 本", "2"])
        #expect(form.first("b") == "")
        #expect(form.files.isEmpty)
    }

    @Test("a multipart form passes the CSRF check with its token and is refused without it")
    func multipartCSRF() async throws {
        try await TestPlatform.withClient { platform, client in
            var member = Browser(client)
            _ = try await member.signIn(DemoAccounts.member)
            try await member.get("/account")
            let before = try await platform.count(APIToken.self)
            let refused = try await member.upload("/account/tokens", [("name", "upload-test")], files: [], csrf: "wrong")
            #expect(refused.status == .forbidden)
            #expect(try await platform.count(APIToken.self) == before)
            try await member.get("/account")
            let created = try await member.upload("/account/tokens", [("name", "upload-test")],
                                                  files: [("unused", "a.txt", "text/plain", Data("x".utf8))])
            #expect(created.status.code < 400, "\(created.status) \(created.body.prefix(300))")
            #expect(try await platform.count(APIToken.self) == before + 1)
        }
    }
}
