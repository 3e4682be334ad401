package dev.candor.internal.consent;

import java.util.List;
import java.util.Objects;

/**
 * What the first-run notice says about an app, taken from its catalog and options: its name and
 * title, who collects, where the policy is, and one line per event.
 */
public final class AppFacts {

    /** One catalog event as the notice lists it. */
    public static final class EventLine {
        private final String description;
        private final boolean noised;

        public EventLine(String description, boolean noised) {
            this.description = Objects.requireNonNull(description);
            this.noised = noised;
        }

        public String description() {
            return description;
        }

        /** True when the event gets local noise before it leaves the machine. */
        public boolean noised() {
            return noised;
        }
    }

    private final String app;
    private final String command;
    private final String title;
    private final String version;
    private final String owner;
    private final String policyUrl;
    private final List<EventLine> events;

    /**
     * @param app       the catalog's app name ({@code acme})
     * @param command   what the user types to run it (usually the app name)
     * @param title     the catalog's title
     * @param version   the app's version, or {@code null}
     * @param owner     who receives the data, or {@code null}
     * @param policyUrl the catalog's {@code policy_url}, or {@code null}
     * @param events    one line per event, in catalog order
     */
    public AppFacts(String app, String command, String title, String version, String owner, String policyUrl,
                    List<EventLine> events) {
        this.app = Objects.requireNonNull(app);
        this.command = Objects.requireNonNull(command);
        this.title = Objects.requireNonNull(title);
        this.version = version;
        this.owner = owner;
        this.policyUrl = policyUrl;
        this.events = List.copyOf(events);
    }

    public String app() {
        return app;
    }

    public String command() {
        return command;
    }

    public String title() {
        return title;
    }

    public String version() {
        return version;
    }

    public String owner() {
        return owner;
    }

    public String policyUrl() {
        return policyUrl;
    }

    public List<EventLine> events() {
        return events;
    }
}
