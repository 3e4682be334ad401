/**
 * The generated "what we collect" documents: an app's TELEMETRY.md and the same words as an HTML
 * page, built from its catalog and from the SDK's and the collector's own constants, so that
 * nothing in them can drift from what the running code does.
 */
package dev.candor.server.docs;
