// Mobank as an Android library module (AAR). An app includes it with
//   include(":mobank"); project(":mobank").projectDir = file("path/to/mobank/android")
// and depends on it with implementation(project(":mobank")).
//
// Inputs made by scripts/build-android.sh (not committed):
//   ../build/bindings/kotlin      uniffi-generated Kotlin (from the unstripped library)
//   ../build/android/jniLibs      libmobank.so per ABI (arm64-v8a, armeabi-v7a, x86_64), stripped
//
// This file cannot be built on the project's Linux CI (no Android SDK/NDK); the Kotlin code it
// compiles is built and tested on the JVM there through pom.xml.
plugins {
    id("com.android.library") version "8.7.3"
    id("org.jetbrains.kotlin.android") version "2.2.21"
}

android {
    namespace = "bank.mobank"
    compileSdk = 35

    defaultConfig {
        // Platform BiometricPrompt (API 28) and StrongBox (API 28).
        minSdk = 28
        consumerProguardFiles("consumer-rules.pro")
    }

    sourceSets {
        getByName("main") {
            manifest.srcFile("src/android/AndroidManifest.xml")
            java.srcDirs("src/main/kotlin", "src/android/kotlin", "../build/bindings/kotlin")
            jniLibs.srcDirs("../build/android/jniLibs")
        }
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
}

kotlin {
    jvmToolchain(17)
}

dependencies {
    // The AAR flavour carries JNA's own native dispatch library for each Android ABI.
    implementation("net.java.dev.jna:jna:5.17.0@aar")
    implementation("org.jetbrains.kotlinx:kotlinx-coroutines-android:1.10.2")
}
