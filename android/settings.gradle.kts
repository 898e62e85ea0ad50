// Gradle settings for using Mobank as an Android library module. Not built on the Linux CI
// (no Android SDK there); the JVM build and tests use pom.xml. See README.md.
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}

dependencyResolutionManagement {
    repositories {
        google()
        mavenCentral()
    }
}

rootProject.name = "mobank-android"
