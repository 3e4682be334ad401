/**
 * Candor: telemetry done right. The whole public API is the package {@code dev.candor};
 * everything under {@code dev.candor.internal} is private to the SDK and may change at any time.
 */
module dev.candor {
    exports dev.candor;
}
