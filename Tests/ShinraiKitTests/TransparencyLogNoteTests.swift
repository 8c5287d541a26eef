import Foundation
import Testing

import ShinraiKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Vectors from golang.org/x/mod/sumdb/note (note_test.go).
enum TLogGoNoteVectors {
    static let peterVKey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
    static let peterSKey = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
    static let enochVKey = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
    static let text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
    static let peterSig = "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
    static let enochSig = "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n"
}

/// A checkpoint signed with a fixed key; computed independently with Python
/// (`cryptography` Ed25519 + hashlib) following the C2SP specs, then pasted here.
enum TLogCheckpointVector {
    static let name = "shinrai.example/log"
    /// seed = bytes 0x00…0x1f
    static let seed = Data(0..<32)
    static let vkey = "shinrai.example/log+b38e0f2d+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4"
    static let skey = "PRIVATE+KEY+shinrai.example/log+b38e0f2d+AQABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f"
    /// Size 9 of the CT vector tree + our 9th leaf.
    static let note = "shinrai.example/log\n9\n4oNNX1ndb26ijAW3ctY8EGQL2nA3qW8Ij9TybdzMldI=\n\n— shinrai.example/log s44PLRPnna6+v/y2LlLlDp0r06OXmRSSpdRqcHkYTSF+3hYKF7oGzSL4Cmx7/PDSuhffur6BRxHRS1da7AQ/tEyutAw=\n"
}

@Suite("Transparency log: signed notes and checkpoints")
struct TransparencyLogNoteTests {
    typealias V = TLogGoNoteVectors

    // MARK: Keys

    @Test("Go note key strings parse; key IDs and public keys derive identically")
    func goKeys() throws {
        let verifier = try NoteVerifier(verifierKey: V.peterVKey)
        #expect(verifier.name == "PeterNeumann")
        #expect(verifier.keyID == 0xc74f_20a3)
        #expect(verifier.verifierKey == V.peterVKey)
        #expect(NoteKeys.keyID(name: "PeterNeumann", publicKey: verifier.publicKey) == 0xc74f_20a3)
        let signer = try NoteSigner(privateKeyString: V.peterSKey)
        #expect(signer.keyID == 0xc74f_20a3)
        #expect(signer.privateKeyString == V.peterSKey)
        #expect(signer.verifier == verifier)  // public key derived from the seed matches Go's
        #expect(try NoteVerifier(verifierKey: V.enochVKey).keyID == 0xaf0c_fe78)
    }

    @Test("mangled verifier keys are rejected (every substring, every byte + 1)")
    func mangledVerifierKeys() {
        let bytes = Array(V.peterVKey.utf8)
        var accepted: [String] = []
        for i in 0...bytes.count {
            for j in (i + 1)..<(bytes.count + 1) where !(i == 0 && j == bytes.count) {
                let s = String(decoding: bytes[i..<j], as: UTF8.self)
                if (try? NoteVerifier(verifierKey: s)) != nil { accepted.append(s) }
            }
        }
        for i in bytes.indices {
            var b = bytes
            b[i] &+= 1
            let s = String(decoding: b, as: UTF8.self)
            if (try? NoteVerifier(verifierKey: s)) != nil { accepted.append(s) }
        }
        #expect(accepted.isEmpty)
        // Wrong key length (with adjusted key hash) and unknown algorithm (with adjusted key hash), from the Go tests.
        #expect(throws: SignedNoteError.self) {
            try NoteVerifier(verifierKey: "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==")
        }
        #expect(throws: SignedNoteError.unsupportedAlgorithm(0x65)) {
            try NoteVerifier(verifierKey: "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
        }
    }

    @Test("mangled signer keys are rejected (every substring, every byte + 1)")
    func mangledSignerKeys() {
        let bytes = Array(V.peterSKey.utf8)
        var accepted: [String] = []
        for i in 0...bytes.count {
            for j in (i + 1)..<(bytes.count + 1) where !(i == 0 && j == bytes.count) {
                let s = String(decoding: bytes[i..<j], as: UTF8.self)
                if (try? NoteSigner(privateKeyString: s)) != nil { accepted.append(s) }
            }
        }
        for i in bytes.indices {
            var b = bytes
            b[i] &+= 1
            let s = String(decoding: b, as: UTF8.self)
            if (try? NoteSigner(privateKeyString: s)) != nil { accepted.append(s) }
        }
        #expect(accepted.isEmpty)
    }

    @Test("key names with spaces or plus signs are rejected")
    func keyNames() {
        for bad in ["", "a b", "a+b", "a\u{00A0}b", "a\u{2003}b", "a\nb"] {
            #expect(!NoteKeys.isValidName(bad), "\(bad)")
            #expect(throws: SignedNoteError.self) { try NoteSigner.generate(name: bad) }
        }
        #expect(NoteKeys.isValidName("shinrai.example.org/log"))
    }

    // MARK: Signed notes

    @Test("signing reproduces the Go note package's signed note")
    func goSign() throws {
        let signer = try NoteSigner(privateKeyString: V.peterSKey)
        let note = try SignedNote.sign(text: V.text, signers: [signer])
        let verified = try SignedNote.open(note, verifiers: [try NoteVerifier(verifierKey: V.peterVKey)])
        #expect(verified.text == V.text)
        #if !canImport(CryptoKit)
            // Ed25519 per RFC 8032 is deterministic (BoringSSL on Linux). Apple's CryptoKit
            // randomizes Ed25519 signatures, so the exact bytes are only compared here.
            #expect(note == V.text + "\n" + V.peterSig)
        #endif
    }

    @Test("opening notes: known keys verify, unknown keys are ignored")
    func goOpen() throws {
        let peter = try NoteVerifier(verifierKey: V.peterVKey)
        let enoch = try NoteVerifier(verifierKey: V.enochVKey)
        let msg = V.text + "\n" + V.peterSig + V.enochSig

        let one = try SignedNote.open(msg, verifiers: [peter])
        #expect(one.text == V.text)
        #expect(one.verifiedSignatures.map(\.name) == ["PeterNeumann"])
        #expect(one.verifiedSignatures.first?.keyID == 0xc74f_20a3)
        #expect(one.unverifiedSignatures.map(\.name) == ["EnochRoot"])
        #expect(one.verifiedSignatures.first?.line == String(V.peterSig))

        let both = try SignedNote.open(msg, verifiers: [peter, enoch])
        #expect(both.verifiedSignatures.map(\.keyID) == [0xc74f_20a3, 0xaf0c_fe78])
        #expect(both.unverifiedSignatures.isEmpty)

        #expect(throws: SignedNoteError.noVerifiedSignature) { try SignedNote.open(msg, verifiers: []) }
        // Duplicate signature lines are tolerated.
        #expect(try SignedNote.open(V.text + "\n" + V.peterSig + V.peterSig, verifiers: [peter]).verifiedSignatures.count == 1)
        // Parse-only gives both signatures.
        let parsed = try SignedNote.parse(msg)
        #expect(parsed.signatures.count == 2)
        #expect(parsed.encoded == msg)
    }

    @Test("a bad signature from a known key rejects the note")
    func invalidKnownSignature() throws {
        let peter = try NoteVerifier(verifierKey: V.peterVKey)
        let sig = V.peterSig
        let at = sig.index(sig.startIndex, offsetBy: 40)
        let corrupted = String(sig[..<at]) + "ABCD" + String(sig[at...])
        #expect(throws: SignedNoteError.invalidSignature(name: "PeterNeumann", keyID: 0xc74f_20a3)) {
            try SignedNote.open(V.text + "\n" + corrupted, verifiers: [peter])
        }
        // Altered text.
        let altered = V.text.replacingOccurrences(of: "answer", with: "answers")
        #expect(throws: SignedNoteError.invalidSignature(name: "PeterNeumann", keyID: 0xc74f_20a3)) {
            try SignedNote.open(altered + "\n" + V.peterSig, verifiers: [peter])
        }
    }

    @Test("malformed notes are rejected")
    func malformedNotes() {
        let peter = try! NoteVerifier(verifierKey: V.peterVKey)
        let bad = [
            V.text,
            V.text + "\n",
            V.text + "\n" + String(V.peterSig.dropLast()),
            "\u{1}" + V.text + "\n" + V.peterSig,
            V.text + "\n" + "— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=",
            V.text + "\n" + "— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
            V.text + "\n" + V.peterSig + "Unexpected line.\n",
            V.text + "\n" + "- PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
            V.text + "\n" + "— PeterNeumann AAAA\n",
            V.text + "\n" + String(repeating: V.peterSig, count: 101),
        ]
        for msg in bad {
            #expect(throws: SignedNoteError.self, "\(msg)") { try SignedNote.open(msg, verifiers: [peter]) }
        }
        var invalidUTF8 = Data([0xFF])
        invalidUTF8.append(Data((V.text + "\n" + V.peterSig).utf8))
        #expect(throws: SignedNoteError.self) { try SignedNote.open(invalidUTF8, verifiers: [peter]) }
        #expect(throws: SignedNoteError.self) { try SignedNote.sign(text: "no newline", signers: [try NoteSigner.generate(name: "a")]) }
        #expect(throws: SignedNoteError.self) { try SignedNote.sign(text: "tab\there\n", signers: [try NoteSigner.generate(name: "a")]) }
    }

    @Test("sign/open round trip with generated keys; another key's signature is not accepted")
    func roundTrip() throws {
        let a = try NoteSigner.generate(name: "shinrai.example/log")
        let b = try NoteSigner.generate(name: "shinrai.example/log")  // same name, different key
        #expect(a.keyID != b.keyID)
        let text = "hello\nworld\n"
        let note = try SignedNote.sign(text: text, signers: [a])
        #expect(try SignedNote.open(note, verifiers: [a.verifier]).text == text)
        // b's verifier does not know a's key ID: the signature is ignored → no verified signature.
        #expect(throws: SignedNoteError.noVerifiedSignature) { try SignedNote.open(note, verifiers: [b.verifier]) }
        // A forged line claiming a's name and key ID but signed by b fails verification.
        let forgedSig = try b.signature(for: Data(text.utf8))
        let forged = text + "\n" + NoteSignature(name: a.name, keyID: a.keyID, signature: forgedSig).line
        #expect(throws: SignedNoteError.invalidSignature(name: a.name, keyID: a.keyID)) {
            try SignedNote.open(forged, verifiers: [a.verifier])
        }
        // Private key strings round-trip.
        let restored = try NoteSigner(privateKeyString: a.privateKeyString)
        #expect(restored.verifier == a.verifier)
        #expect(try NoteVerifier(verifierKey: a.verifier.verifierKey) == a.verifier)
        // Two signers.
        let both = try SignedNote.sign(text: text, signers: [a, b])
        #expect(try SignedNote.open(both, verifiers: [a.verifier, b.verifier]).verifiedSignatures.count == 2)
    }

    // MARK: Checkpoints

    @Test("C2SP checkpoint example parses and re-serializes")
    func c2spExample() throws {
        let note = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"
        let parsed = try SignedNote.parse(note)
        #expect(parsed.signatures.count == 1)
        #expect(parsed.signatures[0].name == "example.com/behind-the-sofa")
        #expect(parsed.signatures[0].keyID == 0x033d_e0ae)
        #expect(parsed.signatures[0].signature.count == 64)
        let checkpoint = try LogCheckpoint(body: parsed.text)
        #expect(checkpoint.origin == "example.com/behind-the-sofa")
        #expect(checkpoint.size == 20_852_163)
        #expect(TLogTestSupport.toHex(checkpoint.rootHash) == "0ac5186a91863e8e1d90c808014aa89bf5da8e3ee1d9f07630f0378f68f1ab62")
        #expect(checkpoint.body == parsed.text)
        #expect(checkpoint.extensions.isEmpty)
        // We do not have that log's public key: a key with the same name is not the signer.
        let stranger = try NoteSigner.generate(name: "example.com/behind-the-sofa")
        #expect(throws: SignedNoteError.noVerifiedSignature) { try LogCheckpoint.open(note, verifier: stranger.verifier) }
    }

    @Test("fixed-key checkpoint known answer (cross-checked with an independent implementation)")
    func checkpointKnownAnswer() throws {
        let signer = try NoteSigner(name: TLogCheckpointVector.name, seed: TLogCheckpointVector.seed)
        #expect(signer.privateKeyString == TLogCheckpointVector.skey)
        #expect(signer.verifier.verifierKey == TLogCheckpointVector.vkey)
        let checkpoint = try LogCheckpoint(origin: TLogCheckpointVector.name, size: 9, rootHash: TLogVectors.root(9))
        #expect(checkpoint.body == "shinrai.example/log\n9\n4oNNX1ndb26ijAW3ctY8EGQL2nA3qW8Ij9TybdzMldI=\n")
        let signed = try checkpoint.signed(by: signer)
        #if !canImport(CryptoKit)
            #expect(signed == TLogCheckpointVector.note)
        #endif
        let verifier = try NoteVerifier(verifierKey: TLogCheckpointVector.vkey)
        let opened = try LogCheckpoint.open(TLogCheckpointVector.note, verifier: verifier)
        #expect(opened == checkpoint)
        #expect(try LogCheckpoint.open(signed, verifier: verifier) == checkpoint)
    }

    @Test("altered checkpoints and checkpoints signed by other keys fail")
    func checkpointTampering() throws {
        let verifier = try NoteVerifier(verifierKey: TLogCheckpointVector.vkey)
        let note = TLogCheckpointVector.note
        let alteredSize = note.replacingOccurrences(of: "\n9\n", with: "\n10\n")
        let alteredRoot = note.replacingOccurrences(of: "4oNNX1ndb26", with: "4oNNX1ndb27")
        let alteredOrigin = note.replacingOccurrences(of: "shinrai.example/log\n9", with: "shinrai.example/lag\n9")
        for tampered in [alteredSize, alteredRoot, alteredOrigin] {
            #expect(tampered != note)
            #expect(throws: SignedNoteError.invalidSignature(name: TLogCheckpointVector.name, keyID: 0xb38e_0f2d)) {
                try LogCheckpoint.open(tampered, verifier: verifier)
            }
        }
        // Signed by another key (same name): unknown key ID → rejected.
        let other = try NoteSigner.generate(name: TLogCheckpointVector.name)
        let checkpoint = try LogCheckpoint(origin: TLogCheckpointVector.name, size: 9, rootHash: TLogVectors.root(9))
        #expect(throws: SignedNoteError.noVerifiedSignature) { try LogCheckpoint.open(try checkpoint.signed(by: other), verifier: verifier) }
        // A witness cosignature from an unknown key is ignored.
        let witness = try NoteSigner.generate(name: "witness.example/w1")
        let cosigned = note + NoteSignature(
            name: witness.name, keyID: witness.keyID, signature: try witness.signature(for: Data(checkpoint.body.utf8))).line
        #expect(try LogCheckpoint.open(cosigned, verifier: verifier) == checkpoint)
        // Origin must match.
        #expect(throws: LogCheckpointError.originMismatch(expected: "elsewhere", got: TLogCheckpointVector.name)) {
            try LogCheckpoint.open(note, verifier: verifier, origin: "elsewhere")
        }
        #expect(throws: LogCheckpointError.self) { try checkpoint.signed(by: witness) }
    }

    @Test("checkpoint bodies are parsed strictly")
    func checkpointParsing() throws {
        let root = TLogVectors.root(9).base64EncodedString()
        let ok = try LogCheckpoint(body: "o\n0\n\(root)\n")
        #expect(ok.size == 0)
        let ext = try LogCheckpoint(body: "o\n12\n\(root)\next one\next2\n")
        #expect(ext.extensions == ["ext one", "ext2"])
        #expect(ext.body == "o\n12\n\(root)\next one\next2\n")
        let bad = [
            "", "o\n", "o\n1\n", "o\n1\n\(root)", "\n1\n\(root)\n", "o\n01\n\(root)\n", "o\n-1\n\(root)\n", "o\n+1\n\(root)\n",
            "o\n 1\n\(root)\n", "o\n1\nnot base64\n", "o\n1\n\(Data(count: 31).base64EncodedString())\n",
            "o\n1\n\(root)\n\n", "o\n9223372036854775808\n\(root)\n", "o\n1\n\(root.dropLast())\n",
        ]
        for body in bad {
            #expect(throws: LogCheckpointError.self, "\(body)") { try LogCheckpoint(body: body) }
        }
        #expect(throws: LogCheckpointError.self) { try LogCheckpoint(origin: "o", size: 1, rootHash: Data(count: 16)) }
        #expect(throws: LogCheckpointError.self) { try LogCheckpoint(origin: "a\nb", size: 1, rootHash: Data(count: 32)) }
    }

    @Test("end to end: log → checkpoint → client verifies inclusion and consistency")
    func endToEnd() async throws {
        let signer = try NoteSigner.generate(name: "shinrai.example/log")
        let store = InMemoryMerkleNodeStore()
        let leaves = TLogTestSupport.syntheticLeaves(37)
        let p1 = try await store.append(leafHashes: leaves.prefix(20).map(MerkleHashing.leafHash))
        let cp1 = try LogCheckpoint(origin: signer.name, size: p1.newSize, rootHash: p1.root).signed(by: signer)
        let p2 = try await store.append(leafHashes: leaves.dropFirst(20).map(MerkleHashing.leafHash))
        let cp2 = try LogCheckpoint(origin: signer.name, size: p2.newSize, rootHash: p2.root).signed(by: signer)

        // Client side: only the verifier key string is trusted.
        let verifier = try NoteVerifier(verifierKey: signer.verifier.verifierKey)
        let old = try LogCheckpoint.open(cp1, verifier: verifier)
        let new = try LogCheckpoint.open(cp2, verifier: verifier)
        let consistency = try await MerkleTree.consistencyProof(first: old.size, second: new.size, reader: store)
        try MerkleVerification.verifyConsistency(
            first: old.size, second: new.size, firstRoot: old.rootHash, secondRoot: new.rootHash, proof: consistency)
        let inclusion = try await MerkleTree.inclusionProof(index: 33, size: new.size, reader: store)
        try MerkleVerification.verifyInclusion(
            leafHash: MerkleHashing.leafHash(leaves[33]), index: 33, size: new.size, proof: inclusion, root: new.rootHash)
    }

    // MARK: Key file

    func tempDir() -> String {
        let dir = NSTemporaryDirectory() + "tlog-keytest-\(UUID().uuidString)"
        return dir
    }

    func mode(_ path: String) throws -> Int {
        let attrs = try FileManager.default.attributesOfItem(atPath: path)
        return (attrs[.posixPermissions] as! NSNumber).intValue & 0o777
    }

    @Test("loadOrCreate creates a 0600 key file (and its directory), then loads the same key")
    func keyFileCreateAndLoad() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/nested/keys/log.key"
        let first = try LogSigningKeyFile.loadOrCreate(at: path, name: "shinrai.example/log")
        #expect(first.created)
        #expect(try mode(path) == 0o600)
        #expect(try mode(dir + "/nested/keys") & 0o077 == 0)
        let contents = try String(contentsOfFile: path, encoding: .utf8)
        #expect(contents == first.signer.privateKeyString + "\n")
        #expect(contents.hasPrefix("PRIVATE+KEY+shinrai.example/log+"))
        let second = try LogSigningKeyFile.loadOrCreate(at: path, name: "shinrai.example/log")
        #expect(!second.created)
        #expect(second.signer.verifier == first.signer.verifier)
        #expect(try LogSigningKeyFile.load(at: path).verifier == first.signer.verifier)
    }

    @Test("key files readable by group/others, of another name, garbage or symlinks are refused")
    func keyFileRefusals() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/log.key"
        _ = try LogSigningKeyFile.loadOrCreate(at: path, name: "shinrai.example/log")
        for bad in [0o644, 0o640, 0o604, 0o660, 0o606] {
            try FileManager.default.setAttributes([.posixPermissions: bad], ofItemAtPath: path)
            #expect(throws: LogSigningKeyFileError.insecurePermissions(path: path, mode: bad)) {
                try LogSigningKeyFile.loadOrCreate(at: path, name: "shinrai.example/log")
            }
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o400], ofItemAtPath: path)
        #expect(!(try LogSigningKeyFile.loadOrCreate(at: path, name: "shinrai.example/log")).created)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)

        #expect(throws: LogSigningKeyFileError.nameMismatch(expected: "other.example/log", found: "shinrai.example/log")) {
            try LogSigningKeyFile.loadOrCreate(at: path, name: "other.example/log")
        }

        let garbage = dir + "/garbage.key"
        _ = FileManager.default.createFile(atPath: garbage, contents: Data("hello\n".utf8), attributes: [.posixPermissions: 0o600])
        #expect(throws: LogSigningKeyFileError.invalidContent(garbage)) {
            try LogSigningKeyFile.loadOrCreate(at: garbage, name: "shinrai.example/log")
        }

        let link = dir + "/link.key"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path)
        #expect(throws: LogSigningKeyFileError.notARegularFile(link)) {
            try LogSigningKeyFile.loadOrCreate(at: link, name: "shinrai.example/log")
        }
    }
}
