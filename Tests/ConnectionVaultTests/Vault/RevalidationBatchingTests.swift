@testable import ConnectionVault
import Foundation
import IML
import Testing

/// `RevalidationPipeline`'s batching, driven step by step as `Vault.revalidate` drives it: full batches while runs
/// keep starting; once every run has started, what has finished, once; then the runs that were still in flight.
@Suite("Revalidation batching")
struct RevalidationBatchingTests {
    static let type: LoadedType = {
        let spec = """
            {"communication": {"url": "http://127.0.0.1:9/me", "headers": {"x-api-key": "{{parameters.apiKey}}"},
               "response": {"uid": "{{body.id}}"}},
             "parameters": [{"name": "apiKey", "type": "text", "required": true}]}
            """
        let value = try! Value(parsingJSONC: Array(spec.utf8))
        let checked = try! ConnectionSpec.check(
            name: "batching", label: nil, communication: value["communication"], parameters: value["parameters"],
            common: nil, source: "batching")
        return LoadedType(spec: checked, version: 1, common: Object())
    }()

    static func connection(_ id: UUID) -> Connection {
        Connection(
            id: id, typeName: "batching", name: "c", status: .unverified, metadata: nil, uid: nil, specVersion: 1,
            verifiedAt: nil, expiresAt: nil, createdAt: Date(), updatedAt: Date(), lastOutcome: nil, lastError: nil)
    }

    /// What one revalidation recorded: the size of each batch, in order, the positions of the batches marked as the
    /// tail (after which the vault checkpoints), and the ids handed over.
    struct Trace {
        var ids: [UUID]
        var batches: [Int] = []
        var tails: [Int] = []
        var handedOver: [UUID] = []
    }

    /// Runs `count` connections at `concurrency`: loads answer at once, runs finish in the order they started,
    /// and each commit lasts while `commitLength` runs finish (or until nothing else can happen).
    static func revalidate(count: Int, concurrency: Int, commitLength: Int) -> Trace {
        let ids = (0..<count).map { _ in UUID() }
        var pipeline = RevalidationPipeline(ids: ids, concurrency: concurrency)
        var running: [PreparedRun] = []
        var committing: (batch: [FinishedRun], left: Int)?
        var trace = Trace(ids: ids)
        func finishCommit() {
            guard let (batch, _) = committing else { return }
            committing = nil
            for run in batch {
                let result = RevalidationResult(id: run.record.id, run: run.run, connection: connection(run.record.id))
                pipeline.recorded(result, of: run)
            }
            while let result = pipeline.nextInOrder() { trace.handedOver.append(result.id) }
        }
        while trace.handedOver.count < count {
            while let page = pipeline.nextPageToLoad() {
                let runs = zip(page.indices, page).map { index, id in
                    let loaded = LoadedConnection(
                        connection: connection(id), version: 1,
                        secrets: ConnectionSecrets(parameters: ["apiKey": "k"], data: [:]), sealed: [])
                    return PreparedRun(index: index, loaded: loaded, type: type)
                }
                pipeline.loaded(runs, removed: [])
            }
            while let run = pipeline.nextToStart() { running.append(run) }
            if committing == nil, let batch = pipeline.nextBatchToRecord() {
                if batch.isTail { trace.tails.append(trace.batches.count) }
                trace.batches.append(batch.runs.count)
                committing = (batch.runs, commitLength)
            }
            if !running.isEmpty, committing.map({ $0.left > 0 }) ?? true {
                let run = running.removeFirst()
                let flow = FlowResult(outcome: .valid, httpStatus: 200, durationMs: 1, error: nil, verified: nil, log: [])
                let record = RunRecord(
                    id: run.loaded.connection.id, result: RunResult(run: flow.historyEntry(at: Date(), specVersion: 1)),
                    sealedBefore: nil)
                pipeline.finished(FinishedRun(index: run.index, record: record, run: flow))
                committing?.left -= 1
            } else {
                finishCommit()
            }
        }
        return trace
    }

    @Test func fullBatchesThenWhatFinishedOnceAllStartedThenTheRunsInFlight() {
        let trace = Self.revalidate(count: 600, concurrency: 16, commitLength: 40)
        #expect(trace.batches.reduce(0, +) == 600)
        // 512 recorded in two full batches; when the 600th run starts, 584 have finished: 72 more, then the 16.
        #expect(trace.batches == [256, 256, 72, 16])
        #expect(trace.tails == [2])  // the batch of 72, taken once every run had started
    }

    @Test func theTailBatchIsTakenOnceWhateverTheCommitsTake() {
        for commitLength in [1, 5, 40, 200] {
            for concurrency in [1, 8, 32] {
                let trace = Self.revalidate(count: 1_000, concurrency: concurrency, commitLength: commitLength)
                let partial = trace.batches.filter { $0 < RevalidationPipeline.batchSize }
                #expect(trace.batches.reduce(0, +) == 1_000)
                #expect(partial.count <= 2, "commit length \(commitLength), concurrency \(concurrency): \(trace.batches)")
                #expect(trace.batches.dropLast(partial.count).allSatisfy { $0 == RevalidationPipeline.batchSize })
                if partial.count == 2 { #expect(partial[1] <= concurrency) }
                #expect(trace.tails.count == 1, "commit length \(commitLength), concurrency \(concurrency)")
            }
        }
    }

    @Test func resultsAreHandedOverInTheOrderOfTheIds() {
        let trace = Self.revalidate(count: 700, concurrency: 8, commitLength: 30)
        #expect(trace.handedOver == trace.ids)
    }
}
