package dev.candor;

/** The floor's options: the two the tiny app sets, through the same builder calls as Candor's. */
public final class TelemetryOptions {
    final String[] args;

    private TelemetryOptions(Builder builder) {
        this.args = builder.args;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String[] args = new String[0];

        public Builder appVersion(String version) {
            return this; // the floor writes no report, so it keeps no version
        }

        public Builder args(String... args) {
            this.args = args.clone();
            return this;
        }

        public TelemetryOptions build() {
            return new TelemetryOptions(this);
        }
    }
}
