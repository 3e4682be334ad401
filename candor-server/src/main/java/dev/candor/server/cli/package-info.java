/** The {@code candor} command (picocli) and its subcommands. */
package dev.candor.server.cli;
