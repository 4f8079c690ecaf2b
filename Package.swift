// swift-tools-version: 6.1
import PackageDescription

// MARK: - Build settings

/// DSP and synthesis loops run 10–50× slower unoptimized; the numeric modules are optimized in debug builds too,
/// so `swift test` exercises them on realistic signal lengths in seconds, not minutes.
let optimizedInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

/// The per-frame DSP touches a few class-owned buffers thousands of times per second of audio; dynamic
/// exclusivity checks on them cost ≈ 6 % of analysis time (perf). Static checks still run.
let dspSettings: [SwiftSetting] = optimizedInDebug + [.unsafeFlags(["-enforce-exclusivity=unchecked"])]

/// The schema migrations, embedded into the binary at build time (no resource bundle beside it). Listed by name:
/// SwiftPM caches the evaluated manifest by its text, so a directory listing here would miss a new file.
/// `SchemaMigrationsTests` fails when a file in `Migrations/` is not listed.
let migrationFiles: [Resource] = [
    "0001_library.sql", "0002_models.sql", "0003_genre_predictions.sql", "0004_mixes.sql",
    "0005_tempo_alternates.sql",
].map {
    Resource.embedInCode($0)
}

func cLibrary(_ name: String, pkgConfig: String, apt: String) -> Target {
    .systemLibrary(name: name, pkgConfig: pkgConfig, providers: [.apt([apt])])
}

let package = Package(
    name: "aidj",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "aidj", targets: ["aidj"]),
        .library(name: "AIDJ", targets: ["AIDJIngest", "AIDJAnalysis", "AIDJAudio", "AIDJStore", "AIDJSynth"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // MARK: C libraries (apt packages; see Makefile `deps`)
        cLibrary("CSndFile", pkgConfig: "sndfile", apt: "libsndfile1-dev"),
        cLibrary("CFFTW", pkgConfig: "fftw3f", apt: "libfftw3-dev"),
        cLibrary("CBLAS", pkgConfig: "openblas", apt: "libopenblas-dev"),
        cLibrary("CSoxr", pkgConfig: "soxr", apt: "libsoxr-dev"),
        cLibrary("CEBUR128", pkgConfig: "libebur128", apt: "libebur128-dev"),
        cLibrary("CRubberBand", pkgConfig: "rubberband", apt: "librubberband-dev"),
        cLibrary("CTagLib", pkgConfig: "taglib_c", apt: "libtagc0-dev"),

        // MARK: Library
        .target(name: "AIDJCore", swiftSettings: dspSettings),
        .target(
            name: "AIDJAudio",
            dependencies: ["AIDJCore", "CSndFile", "CSoxr", "CTagLib"],
            swiftSettings: optimizedInDebug
        ),
        .target(
            name: "AIDJAnalysis",
            dependencies: ["AIDJCore", "AIDJAudio", "CFFTW", "CEBUR128"],
            swiftSettings: dspSettings
        ),
        .target(name: "AIDJMigrations", path: "Migrations", resources: migrationFiles),
        .target(
            name: "AIDJStore",
            dependencies: ["AIDJCore", "AIDJMigrations", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .target(name: "AIDJIngest", dependencies: ["AIDJCore", "AIDJAudio", "AIDJAnalysis", "AIDJStore"]),
        .target(name: "AIDJSynth", dependencies: ["AIDJCore", "AIDJAudio"], swiftSettings: optimizedInDebug),
        .target(name: "AIDJTaste", dependencies: ["AIDJCore", "AIDJLearning", "AIDJStore"]),
        .target(name: "AIDJLearning", dependencies: ["AIDJCore", "CBLAS"], swiftSettings: dspSettings),
        .target(
            name: "AIDJMixer",
            dependencies: ["AIDJCore", "AIDJAudio", "AIDJAnalysis", "AIDJStore", "CRubberBand"],
            swiftSettings: dspSettings
        ),
        .target(
            name: "AIDJComposer",
            dependencies: ["AIDJCore", "AIDJLearning", "AIDJSynth", "AIDJAudio"],
            swiftSettings: optimizedInDebug
        ),

        // MARK: Tool
        .executableTarget(
            name: "aidj",
            dependencies: ["AIDJCore", 
                "AIDJIngest", "AIDJSynth", "AIDJComposer", "AIDJLearning", "AIDJTaste", "AIDJMixer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: Benchmarks (release: `make bench`)
        .executableTarget(
            name: "aidj-bench",
            dependencies: ["AIDJCore", 
                "AIDJAnalysis", "AIDJSynth", "AIDJComposer", "AIDJLearning", "AIDJTaste", "AIDJMixer", "AIDJIngest",
            ],
            path: "Benchmarks/AIDJBench",
            swiftSettings: optimizedInDebug
        ),

        // MARK: Tests
        .target(
            name: "AIDJTestSupport",
            dependencies: ["AIDJCore", "AIDJAudio", "AIDJSynth"],
            path: "Tests/AIDJTestSupport",
            swiftSettings: optimizedInDebug
        ),
        .testTarget(name: "AIDJCoreTests", dependencies: ["AIDJCore"]),
        .testTarget(name: "AIDJAudioTests", dependencies: ["AIDJCore", "AIDJAudio", "AIDJTestSupport"]),
        .testTarget(
            name: "AIDJAnalysisTests",
            dependencies: ["AIDJCore", "AIDJAnalysis", "AIDJAudio", "AIDJSynth", "AIDJTestSupport", "CEBUR128"],
            swiftSettings: optimizedInDebug
        ),
        .testTarget(name: "AIDJLearningTests", dependencies: ["AIDJCore", "AIDJLearning"], swiftSettings: optimizedInDebug),
        .testTarget(
            name: "AIDJComposerTests", dependencies: ["AIDJCore", "AIDJComposer", "AIDJLearning", "AIDJTestSupport"],
            swiftSettings: optimizedInDebug
        ),
        .testTarget(name: "AIDJTasteTests", dependencies: ["AIDJCore", "AIDJTaste", "AIDJAnalysis", "AIDJTestSupport"]),
        .testTarget(name: "AIDJStoreTests", dependencies: ["AIDJCore", "AIDJStore", "AIDJTestSupport"]),
        .testTarget(
            name: "AIDJMixerTests",
            dependencies: ["AIDJCore", "AIDJMixer", "AIDJIngest", "AIDJSynth", "AIDJAnalysis", "AIDJTestSupport"],
            swiftSettings: optimizedInDebug),
        .testTarget(
            name: "AIDJIngestTests", dependencies: ["AIDJCore", "AIDJIngest", "AIDJStore", "AIDJSynth", "AIDJTestSupport"]),
        .testTarget(name: "AIDJCLITests", dependencies: ["AIDJCore", "AIDJTestSupport", "AIDJStore", "AIDJSynth", "aidj"]),
    ]
)
