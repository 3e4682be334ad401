/**
 * Not for public use: the SDK's implementation. May change at any time; not exported by the module.
 */
package dev.candor.internal;
