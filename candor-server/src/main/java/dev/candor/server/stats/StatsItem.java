package dev.candor.server.stats;

/**
 * One released item of a breakdown group: an event ({@code field} and {@code value} are null), or
 * one value of one of its fields.
 *
 * @param installsUsing installs that used the item in the period; {@code null} when the release
 *     does not estimate presence (noised events)
 * @param share {@code installsUsing} divided by the group's installs; {@code null} like it
 * @param total the total count of the item (clamped per report); {@code null} when not published
 */
public record StatsItem(String event, String field, String value,
                       Estimate installsUsing, Estimate share, Estimate total) {

    public boolean isEventLevel() {
        return field == null;
    }

    /** {@code command_run}, or {@code command_run.command = convert}. */
    public String label() {
        return field == null ? event : event + "." + field + " = " + value;
    }
}
