/**
 * The pages people look at: the list of apps, one app's published numbers as server-rendered SVG
 * charts with the numbers in plain HTML beside them, and the app's "what we collect" page.
 * No JavaScript, no CDN, nothing fetched at run time.
 */
package dev.candor.server.web.dashboard;
