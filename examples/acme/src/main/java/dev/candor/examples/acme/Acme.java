package dev.candor.examples.acme;

/** Placeholder until the SDK's public API lands; see issue 2. */
public final class Acme {
    public static void main(String[] args) {
        System.out.println("acme 2.0.0");
    }
}
