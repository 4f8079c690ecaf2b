// swift-tools-version: 6.1
import PackageDescription

// The target graph reads top-down, and every arrow points down:
//   aidj (CLI) → Server (HTTP, over Taste and Mixer) → capabilities (Ingest, Taste, Mixer, Composer, Assess)
//   → Store, Analysis, Learning, Synth → Audio
//   → Core → C shims. No capability module imports another, except that Assess reads MIDI through Composer's
//   reader (DESIGN.md); the CLI joins them (e.g. taste scores for the mixer).

// MARK: - Build settings

/// DSP and synthesis loops run 10–50× slower unoptimized; the numeric modules are optimized in debug builds too,
/// so `swift test` exercises them on realistic signal lengths in seconds, not minutes.
let optimizedInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

/// The per-frame DSP touches a few class-owned buffers thousands of times per second of audio; dynamic
/// exclusivity checks on them cost ≈ 6 % of analysis time (perf). Static checks still run.
let dspSettings: [SwiftSetting] = optimizedInDebug + [.unsafeFlags(["-enforce-exclusivity=unchecked"])]

/// Every Swift target: a file uses only the members of modules it imports itself, and imports are internal unless
/// a public signature needs them (`public import`), so the compiler keeps each module's dependencies honest.
let importDiscipline: [SwiftSetting] = [
    .enableUpcomingFeature("MemberImportVisibility"), .enableUpcomingFeature("InternalImportsByDefault"),
]

/// The schema migrations, embedded into the binary at build time (no resource bundle beside it). Listed by name:
/// SwiftPM caches the evaluated manifest by its text, so a directory listing here would miss a new file.
/// `SchemaMigrationsTests` fails when a file in `Migrations/` is not listed.
let migrationFiles: [Resource] = [
    "0001_library.sql", "0002_models.sql", "0003_genre_predictions.sql", "0004_mixes.sql",
    "0005_tempo_alternates.sql",
    "0006_tempo_sections.sql",
    "0007_track_sections.sql",
    "0008_assessments.sql",
    "0009_server.sql",
    "0010_embedded_art.sql",
    "0011_optional_key.sql",
].map {
    Resource.embedInCode($0)
}

func cLibrary(_ name: String, pkgConfig: String, apt: String) -> Target {
    .systemLibrary(name: name, pkgConfig: pkgConfig, providers: [.apt([apt])])
}

let package = Package(
    name: "aidj",
    // Linux (Debian 12) is where aidj is built and tested; the code keeps to POSIX and names Darwin's
    // differences where it meets them (FolderScanner's st_mtim), so a macOS build is expected to work.
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "aidj", targets: ["aidj"]),
        .library(
            name: "AIDJ",
            targets: [
                "AIDJIngest", "AIDJTaste", "AIDJMixer", "AIDJComposer", "AIDJAssess", "AIDJStore", "AIDJAnalysis",
                "AIDJLearning", "AIDJSynth", "AIDJAudio", "AIDJCore",
            ]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        // HTTP parts as the server pipeline carries them (already resolved through Hummingbird).
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // MARK: Tool
        .executableTarget(
            name: "aidj",
            dependencies: [
                "AIDJServer", "AIDJIngest", "AIDJTaste", "AIDJMixer", "AIDJComposer", "AIDJAssess", "AIDJStore",
                "AIDJAnalysis", "AIDJLearning", "AIDJSynth", "AIDJAudio", "AIDJCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: Capabilities
        .target(name: "AIDJIngest", dependencies: ["AIDJStore", "AIDJAnalysis", "AIDJAudio", "AIDJCore"]),
        .target(name: "AIDJTaste", dependencies: ["AIDJStore", "AIDJLearning", "AIDJCore"]),
        .target(
            name: "AIDJMixer",
            dependencies: ["AIDJStore", "AIDJAnalysis", "AIDJAudio", "AIDJCore", "CRubberBand"],
            swiftSettings: dspSettings
        ),
        .target(
            name: "AIDJAssess", dependencies: ["AIDJAnalysis", "AIDJComposer", "AIDJAudio", "AIDJCore"],
            swiftSettings: dspSettings),
        .target(
            name: "AIDJComposer",
            dependencies: ["AIDJLearning", "AIDJSynth", "AIDJAudio", "AIDJCore"],
            swiftSettings: optimizedInDebug
        ),

        // MARK: The HTTP side: OpenSubsonic API and web player (`aidj serve`)
        .target(
            name: "AIDJServer",
            dependencies: [
                "AIDJTaste", "AIDJMixer", "AIDJStore", "AIDJAudio", "AIDJCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            resources: [.embedInCode("WebPlayer/index.html")]
        ),

        // MARK: Store, analysis, learning, synthesis
        .target(
            name: "AIDJStore",
            dependencies: ["AIDJMigrations", "AIDJCore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .target(name: "AIDJMigrations", path: "Migrations", resources: migrationFiles),
        .target(
            name: "AIDJAnalysis",
            dependencies: ["AIDJAudio", "AIDJCore", "CFFTW", "CEBUR128"],
            swiftSettings: dspSettings
        ),
        .target(name: "AIDJLearning", dependencies: ["AIDJCore", "CBLAS"], swiftSettings: dspSettings),
        .target(name: "AIDJSynth", dependencies: ["AIDJAudio", "AIDJCore"], swiftSettings: optimizedInDebug),

        // MARK: Audio I/O and the shared vocabulary
        .target(
            name: "AIDJAudio",
            dependencies: ["AIDJCore", "CSndFile", "CSoxr", "CTagLib", "CTagLibArt"],
            swiftSettings: optimizedInDebug
        ),
        .target(name: "AIDJCore", swiftSettings: dspSettings),

        // MARK: C libraries (apt packages; see Makefile `deps`)
        cLibrary("CSndFile", pkgConfig: "sndfile", apt: "libsndfile1-dev"),
        cLibrary("CFFTW", pkgConfig: "fftw3f", apt: "libfftw3-dev"),
        cLibrary("CBLAS", pkgConfig: "openblas", apt: "libopenblas-dev"),
        cLibrary("CSoxr", pkgConfig: "soxr", apt: "libsoxr-dev"),
        cLibrary("CEBUR128", pkgConfig: "libebur128", apt: "libebur128-dev"),
        cLibrary("CRubberBand", pkgConfig: "rubberband", apt: "librubberband-dev"),
        cLibrary("CTagLib", pkgConfig: "taglib_c", apt: "libtagc0-dev"),
        // Embedded pictures: TagLib's C binding has none before TagLib 2, so a small C++ shim over its C++ API.
        .target(name: "CTagLibArt", path: "Sources/CTagLibArt", linkerSettings: [.linkedLibrary("tag")]),

        // MARK: Benchmarks (release: `make bench`)
        .executableTarget(
            name: "aidj-bench",
            dependencies: [
                "AIDJServer", "AIDJIngest", "AIDJTaste", "AIDJMixer", "AIDJComposer", "AIDJAssess", "AIDJStore",
                "AIDJAnalysis",
                "AIDJLearning", "AIDJSynth", "AIDJAudio", "AIDJCore",
                // The serve benchmark's load clients (one event loop, keep-alive connections).
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Benchmarks/AIDJBench",
            swiftSettings: optimizedInDebug
        ),

        // MARK: Tests
        .target(
            name: "AIDJTestSupport",
            dependencies: ["AIDJSynth", "AIDJAudio", "AIDJCore", "CEBUR128"],
            path: "Tests/AIDJTestSupport",
            swiftSettings: optimizedInDebug
        ),
        // The CLI tests run the built `aidj` binary, so they depend on it.
        .testTarget(
            name: "AIDJCLITests", dependencies: ["aidj", "AIDJStore", "AIDJSynth", "AIDJAudio", "AIDJTestSupport"]),
        // The server tests start `aidj` too (listener show), so they depend on it.
        .testTarget(
            name: "AIDJServerTests",
            dependencies: [
                "AIDJServer", "aidj", "AIDJStore", "AIDJAudio", "AIDJCore", "AIDJTestSupport", "AIDJSynth",
                "AIDJIngest", "AIDJAnalysis", "AIDJMixer",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "AIDJIngestTests",
            dependencies: [
                "AIDJIngest", "AIDJStore", "AIDJAnalysis", "AIDJSynth", "AIDJAudio", "AIDJCore", "AIDJTestSupport",
            ]
        ),
        .testTarget(
            name: "AIDJTasteTests",
            dependencies: ["AIDJTaste", "AIDJStore", "AIDJAnalysis", "AIDJLearning", "AIDJCore", "AIDJTestSupport"]
        ),
        .testTarget(
            name: "AIDJMixerTests",
            dependencies: [
                "AIDJMixer", "AIDJIngest", "AIDJStore", "AIDJAnalysis", "AIDJSynth", "AIDJAudio", "AIDJCore",
                "AIDJTestSupport",
            ],
            swiftSettings: optimizedInDebug
        ),
        .testTarget(
            name: "AIDJComposerTests",
            dependencies: ["AIDJComposer", "AIDJLearning", "AIDJSynth", "AIDJCore", "AIDJTestSupport"],
            swiftSettings: optimizedInDebug
        ),
        .testTarget(
            name: "AIDJAssessTests",
            dependencies: ["AIDJAssess", "AIDJAnalysis", "AIDJComposer", "AIDJSynth", "AIDJAudio", "AIDJTestSupport"],
            swiftSettings: optimizedInDebug
        ),
        .testTarget(
            name: "AIDJStoreTests",
            dependencies: [
                "AIDJStore", "AIDJMigrations", "AIDJCore", "AIDJTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "AIDJAnalysisTests",
            dependencies: ["AIDJAnalysis", "AIDJSynth", "AIDJAudio", "AIDJCore", "AIDJTestSupport", "CEBUR128"],
            swiftSettings: optimizedInDebug
        ),
        .testTarget(
            name: "AIDJLearningTests", dependencies: ["AIDJLearning", "AIDJCore"], swiftSettings: optimizedInDebug),
        .testTarget(name: "AIDJAudioTests", dependencies: ["AIDJAudio", "AIDJTestSupport"]),
        .testTarget(name: "AIDJCoreTests", dependencies: ["AIDJCore"]),
    ]
)

for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + importDiscipline
}
