package dev.candor.internal.upload;

import dev.candor.internal.catalog.Catalog;
import dev.candor.internal.context.SdkLog;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.concurrent.TimeUnit;

import static java.lang.System.Logger.Level.DEBUG;

/**
 * Sends the outbox to the collector, from one background daemon thread, without ever costing the
 * host application anything it would notice. Exists in mode {@code ON} only: the facade
 * constructs an {@code Uploader} only when the user's decision is {@code ON}, never in
 * {@code LOCAL} or {@code OFF}, so reports in {@code <state>/local/} are never read here.
 *
 * <p>What it promises:
 * <ul>
 *   <li>The constructor does no I/O; {@link #start()} starts one thread named
 *       {@value #THREAD_NAME}: a daemon, lowest priority, null context class loader, no inherited
 *       thread-locals. It never delays the JVM's exit: no non-daemon thread, no shutdown hook, no
 *       child process. A JVM that exits mid-upload simply leaves the report in the outbox; the
 *       collector ignores a repeated {@code report_id}.</li>
 *   <li>The thread first lists the outbox (by name, nothing read); if it is empty, nothing else
 *       happens and nothing network-related is loaded.</li>
 *   <li>At most one upload attempt per hour per app, across every process sharing the state
 *       directory, and never before a {@code Retry-After} the collector asked for. The right to upload
 *       is an exclusive lock on {@code <state>/upload.lock} (and, because a JVM cannot take the same
 *       file lock twice, an in-process claim beside it, {@link #tryLock}); whoever holds it reads and
 *       writes {@code <state>/upload.last}, two lines of text with times in epoch milliseconds,
 *       {@code last_attempt=<ms>} (when the last attempt began) and {@code not_before=<ms>} (how long
 *       the collector asked us to wait). A missing or unreadable record means "never attempted".</li>
 *   <li>Each report is POSTed as gzip JSON ({@code Content-Type: application/json},
 *       {@code Content-Encoding: gzip}) with a 5 s connect timeout and a 5 s timeout for the
 *       answer, by {@link CollectorAnswer#post}, whose thread never waits inside native code (which
 *       is what lets a JVM exit at once even while a collector hangs). A 2xx moves it to
 *       {@code sent/}; a 4xx other than 408 and 429 drops it (the collector will never take it);
 *       5xx, 408, 429 and network errors keep it, with exponential backoff inside the attempt
 *       (honouring {@code Retry-After}), then for a later attempt.</li>
 *   <li>Nothing here throws into the host or blocks its threads, except {@link #sendNow}, which
 *       blocks its caller for at most the timeout it is given.</li>
 * </ul>
 */
public final class Uploader {
    /** The user agent of every upload: the SDK's major.minor, nothing about the machine. */
    public static final String USER_AGENT = "candor-sdk/0.1";
    /** The name of the background thread. */
    public static final String THREAD_NAME = "candor-uploader";
    /** At most one background upload attempt per this interval (an hour), per app, across processes. */
    static final long MIN_INTERVAL_MILLIS = 3_600_000;
    static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    static final int REQUEST_TIMEOUT_MILLIS = 5_000;
    /** A {@code Retry-After} (or {@code upload.last}) further away than this is not believed. */
    static final long LONGEST_NOT_BEFORE_MILLIS = 24L * 60 * 60 * 1000;
    /** The state folders (absolute, normalized) whose upload lock a thread of this JVM holds. */
    private static final Set<Path> LOCKED_IN_THIS_PROCESS = ConcurrentHashMap.newKeySet();
    /** The keys of {@code upload.last}. */
    private static final String LAST_ATTEMPT = "last_attempt=";
    private static final String NOT_BEFORE = "not_before=";

    private final Path stateDirectory;
    private final String app;
    private final String endpoint;
    private final Clock clock;
    private final Outbox outbox;
    private boolean started;
    private final Object signal = new Object();
    private boolean woken;
    private volatile boolean stopped;
    private volatile Thread thread;
    private volatile PrintStream debug;
    /** Asked before each report is sent: false once telemetry was turned off meanwhile (null: never asked). */
    private volatile BooleanSupplier consentStands;

    // How hard one attempt tries; package-private so that tests need not wait seconds.
    long firstBackoffMillis = 1_000;
    long longestBackoffMillis = 30_000;
    int triesPerReport = 4;
    long longestScheduledWaitMillis = 60_000;
    /** The TLS context for https endpoints; {@code null} means the JDK's default (tests trust their own). */
    javax.net.ssl.SSLContext tls;

    /**
     * An uploader for the app named {@code app} whose catalog's reports cover {@code period}
     * ({@code catalog.app()}, {@code catalog.period()}), whose state directory is
     * {@code stateDirectory}, sending to {@code endpoint} (the catalog's, or
     * {@code <APP>_TELEMETRY_ENDPOINT}). Does no I/O and never throws for a bad endpoint: an
     * endpoint that is not an absolute http(s) URL makes every upload keep its reports, saying why.
     *
     * @param clock the time used for the hourly limit and the reports' age ({@code Clock.systemUTC()}
     *              outside tests)
     */
    public Uploader(Path stateDirectory, String app, Catalog.Period period, String endpoint, Clock clock) {
        this.stateDirectory = Objects.requireNonNull(stateDirectory, "stateDirectory");
        this.app = Objects.requireNonNull(app, "app");
        this.endpoint = endpoint;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.outbox = new Outbox(stateDirectory, app, period, clock);
    }

    /**
     * Prints each report's exact JSON to {@code err} before it is sent, and what happened to it
     * ({@code --debug-telemetry}). Call before {@link #start()}; {@code null} turns it off.
     */
    public Uploader debugTo(PrintStream err) {
        this.debug = err;
        return this;
    }

    /**
     * Sends a report only while {@code consentStands} answers true, asked before each one: a {@code telemetry
     * disable} in another process stops an upload under way. Call before {@link #start()}.
     */
    public Uploader onlyWhile(BooleanSupplier consentStands) {
        this.consentStands = consentStands;
        return this;
    }

    /**
     * Starts the background thread, once; later calls do nothing. Returns at once, never throws.
     * The facade calls it as the last step of {@code Telemetry.start()}, so the thread's first
     * listing of the outbox happens after the host has its handle. The thread then looks again
     * when {@link #wake()} is called and at least hourly, for long-running hosts.
     */
    public void start() {
        synchronized (signal) {
            if (started) {
                return;
            }
            started = true;
        }
        try {
            Thread background = new Worker(THREAD_NAME, null);
            thread = background;
            background.start();
        } catch (RuntimeException | Error e) {
            SdkLog.log(DEBUG, "cannot start " + THREAD_NAME + ": " + e);
        }
    }

    /**
     * Tells the background thread that a report was just added to the outbox (the record package
     * calls it after closing a period). Cheap, never blocks, never throws; the hourly limit still
     * applies.
     */
    public void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    /**
     * Ends the background thread at its next pause. Touches no file and no socket; a request in
     * flight finishes (or times out) on its daemon thread. Never blocks, never throws.
     */
    public void stop() {
        stopped = true;
        Thread background = thread;
        if (background != null) {
            background.interrupt();
        }
    }

    /**
     * Uploads every report in the outbox now, for {@code telemetry send}: the hourly limit does
     * not apply (the attempt is still recorded), but another process's upload in progress is
     * waited for. Blocks the caller for at most {@code timeout}; a report still in flight then is
     * reported as kept (if it arrives after all, the collector ignores its repeated
     * {@code report_id} next time). Never throws.
     */
    public UploadResult sendNow(Duration timeout) {
        long timeoutNanos = timeout == null || timeout.isNegative() ? 0 : saturatedNanos(timeout);
        UploadResult round = new UploadResult(System.nanoTime() + timeoutNanos);
        try {
            Thread worker = new Worker(THREAD_NAME + "-send", round);
            worker.start();
            worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            round.note("could not start the upload: " + e);
        }
        round.abandon();
        return round.snapshot("no answer within " + describe(timeout) + "; tried again later");
    }

    /** One background round, as the thread runs it, on the caller's thread (for tests and probes). */
    UploadResult runScheduled() {
        UploadResult round = new UploadResult(Long.MAX_VALUE);
        scheduledRound(round);
        return round.snapshot("not tried");
    }

    private void loop() {
        while (!stopped) {
            long waitMillis;
            try {
                waitMillis = scheduledRound(new UploadResult(Long.MAX_VALUE));
            } catch (Throwable t) {
                SdkLog.log(DEBUG, THREAD_NAME + ": " + t);
                waitMillis = MIN_INTERVAL_MILLIS;
            }
            synchronized (signal) {
                try {
                    if (!woken && !stopped) {
                        signal.wait(Math.max(1, waitMillis));
                    }
                } catch (InterruptedException e) {
                    return;
                }
                woken = false;
            }
        }
    }

    /** Runs one round respecting the hourly limit; returns how long to wait before the next look. */
    private long scheduledRound(UploadResult round) {
        long hour = MIN_INTERVAL_MILLIS;
        try {
            if (!outbox.hasReports()) {
                round.note("nothing to send: the outbox is empty");
                return hour;
            }
            URI uri = endpointUri(round);
            if (uri == null) {
                return hour;
            }
            FileChannel lock = tryLock(stateDirectory);
            if (lock == null) {
                round.note("another process is uploading now");
                return hour;
            }
            try {
                long now = clock.millis();
                long next = nextAllowedMillis(now);
                if (now < next) {
                    round.note("the last upload attempt was less than an hour ago (or the collector asked to wait);"
                            + " the next may start in " + ((next - now + 59_999) / 60_000) + " min");
                    return next - now;
                }
                upload(round, uri);
                return hour;
            } finally {
                unlock(stateDirectory, lock);
            }
        } catch (IOException | RuntimeException e) {
            SdkLog.log(DEBUG, "upload skipped: " + e);
            round.note("upload skipped: " + e);
            return hour;
        }
    }

    private void explicitRound(UploadResult round) {
        try {
            URI uri = endpointUri(round);
            List<ReportOutcome> removed = new ArrayList<>();
            List<ReportFile> before = outbox.scan(removed);
            round.addAll(removed);
            round.pending(before);
            if (uri == null) {
                return;
            }
            if (before.isEmpty()) {
                round.note("nothing to send: the outbox is empty");
                return;
            }
            FileChannel lock = tryLock(stateDirectory);
            boolean waited = lock == null;
            while (lock == null) {
                if (round.remainingMillis() <= 25 || round.abandoned()) {
                    round.note("another upload (in this process or another) is still running; try again in a moment");
                    return;
                }
                Thread.sleep(25);
                lock = tryLock(stateDirectory);
            }
            try {
                upload(round, uri);
            } finally {
                unlock(stateDirectory, lock);
            }
            if (waited) {
                settleConcurrent(round, before);
            }
        } catch (InterruptedException e) {
            round.note("interrupted");
        } catch (IOException | RuntimeException e) {
            SdkLog.log(DEBUG, "send failed: " + e);
            round.note("upload failed: " + e);
        }
    }

    /** Says what became of the reports that another upload, running first, took care of. */
    private void settleConcurrent(UploadResult round, List<ReportFile> reports) {
        for (ReportFile report : reports) {
            if (round.outcomeOf(report.fileName()) != null) {
                continue;
            }
            if (Files.exists(outbox.sentDirectory().resolve(report.fileName()))) {
                round.add(ReportOutcome.sent(report.fileName(), "sent by another upload running at the same time"));
            } else if (!Files.exists(report.path())) {
                round.add(ReportOutcome.dropped(report.fileName(), "removed by another upload running at the same time"));
            }
        }
    }

    /** Scans the outbox and sends what may be sent; the caller holds the upload lock. */
    private void upload(UploadResult round, URI uri) throws IOException {
        List<ReportOutcome> removed = new ArrayList<>();
        List<ReportFile> pending = outbox.scan(removed);
        round.addAll(removed);
        boolean knewOfReports = round.hasPending();
        round.pending(pending);
        if (pending.isEmpty()) {
            if (!knewOfReports) {
                round.note("nothing to send: the outbox is empty");
            }
            return;
        }
        record(clock.millis(), recorded(NOT_BEFORE));
        round.markAttempted();
        for (int i = 0; i < pending.size(); i++) {
            BooleanSupplier check = consentStands;
            if (check != null && !check.getAsBoolean()) {
                for (ReportFile unsent : pending.subList(i, pending.size())) {
                    round.add(ReportOutcome.kept(unsent.fileName(), "not sent: telemetry was turned off meanwhile"));
                }
                return;
            }
            String stop = send(round, uri, pending.get(i));
            if (stop != null) {
                for (ReportFile untried : pending.subList(i + 1, pending.size())) {
                    round.add(ReportOutcome.kept(untried.fileName(), "not tried: " + stop));
                }
                return;
            }
        }
    }

    /**
     * Sends one report, retrying with backoff while that may help. Returns {@code null} to go on
     * with the next report, or why the whole attempt stops (the collector is unavailable).
     */
    private String send(UploadResult round, URI uri, ReportFile report) throws IOException {
        for (int tries = 1; ; tries++) {
            long remaining = round.remainingMillis();
            if (round.abandoned() || remaining <= 0) {
                round.add(ReportOutcome.kept(report.fileName(), "no time left; tried again later"));
                return "no time left";
            }
            print("sending " + report.fileName() + " to " + uri + ":\n" + report.text());
            int timeout = (int) Math.min(REQUEST_TIMEOUT_MILLIS, remaining);
            CollectorAnswer answer = CollectorAnswer.post(uri, report.sharedBytes(),
                    Math.min(CONNECT_TIMEOUT_MILLIS, timeout), timeout, clock.millis(), tls);
            if (answer.accepted()) {
                outbox.keepSent(report);
                outbox.delete(report);
                return decided(round, ReportOutcome.sent(report.fileName(), answer.describe()), null);
            }
            if (answer.rejected()) {
                outbox.delete(report);
                SdkLog.log(DEBUG, "dropped " + report.fileName() + ": " + answer.describe());
                return decided(round, ReportOutcome.dropped(report.fileName(),
                        "the collector will never take it: " + answer.describe()), null);
            }
            if (!answer.worthRetrying()) {
                String why = answer.describe() + " (redirects are not followed; check the endpoint " + uri + ")";
                return decided(round, ReportOutcome.kept(report.fileName(), why), why);
            }
            long retryAfter = answer.retryAfterMillis();
            long wait = retryAfter >= 0 ? retryAfter
                    : Math.min(longestBackoffMillis, firstBackoffMillis << Math.min(tries - 1, 20));
            boolean lastTry = tries >= triesPerReport;
            boolean tooLong = wait > Math.min(longestScheduledWaitMillis, round.remainingMillis());
            if (lastTry || tooLong) {
                if (retryAfter > 0) {
                    record(recorded(LAST_ATTEMPT), clock.millis() + Math.min(retryAfter, LONGEST_NOT_BEFORE_MILLIS));
                }
                String why = answer.describe() + (tries > 1 ? " (" + tries + " tries)" : "");
                return decided(round, ReportOutcome.kept(report.fileName(), why + "; tried again later"), why);
            }
            try {
                Thread.sleep(Math.max(1, wait));
            } catch (InterruptedException e) {
                return decided(round, ReportOutcome.kept(report.fileName(), answer.describe()
                        + "; interrupted while waiting to retry"), "interrupted");
            }
        }
    }

    private String decided(UploadResult round, ReportOutcome outcome, String stop) {
        round.add(outcome);
        print(outcome.toString());
        return stop;
    }

    private long nextAllowedMillis(long now) {
        long last = recorded(LAST_ATTEMPT);
        long notBefore = recorded(NOT_BEFORE);
        if (last > now + 60_000) {
            last = 0; // written by a clock that ran ahead; do not wait for it to come back
        }
        if (notBefore > now + LONGEST_NOT_BEFORE_MILLIS) {
            notBefore = 0;
        }
        return Math.max(last == 0 ? 0 : last + MIN_INTERVAL_MILLIS, notBefore);
    }

    /**
     * Takes the right to upload for the app whose state folder is {@code stateDirectory}, across every thread and
     * process sharing it, without waiting (see the class comment).
     *
     * @return the locked {@code upload.lock}, to give back with {@link #unlock}; {@code null} when another thread
     *     or process holds it
     * @throws IOException when the lock file cannot be created or locked at all
     */
    static FileChannel tryLock(Path stateDirectory) throws IOException {
        Path key = stateDirectory.toAbsolutePath().normalize();
        if (!LOCKED_IN_THIS_PROCESS.add(key)) {
            return null;
        }
        FileChannel channel = null;
        try {
            Files.createDirectories(key);
            channel = FileChannel.open(key.resolve("upload.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (channel.tryLock() != null) {
                return channel;
            }
        } catch (IOException | RuntimeException e) {
            if (!(e instanceof OverlappingFileLockException)) {
                unlock(key, channel);
                throw e;
            }
        }
        unlock(key, channel);
        return null;
    }

    /** Gives back the right to upload that {@link #tryLock} gave ({@code lock} may be null). Never throws. */
    static void unlock(Path stateDirectory, FileChannel lock) {
        try {
            if (lock != null) {
                lock.close(); // releases the file lock
            }
        } catch (IOException e) {
            SdkLog.log(DEBUG, "cannot release " + stateDirectory.resolve("upload.lock") + ": " + e);
        } finally {
            LOCKED_IN_THIS_PROCESS.remove(stateDirectory.toAbsolutePath().normalize());
        }
    }

    /** A time in {@code upload.last} ({@link #LAST_ATTEMPT} or {@link #NOT_BEFORE}), or 0 if none; under the lock. */
    private long recorded(String key) {
        Path record = stateDirectory.resolve("upload.last");
        try {
            for (String line : Files.readAllLines(record, StandardCharsets.UTF_8)) {
                if (line.startsWith(key)) {
                    return Math.max(0, Long.parseLong(line.substring(key.length()).trim()));
                }
            }
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException | RuntimeException e) {
            SdkLog.log(DEBUG, "cannot read " + record + ", treated as never attempted: " + e);
        }
        return 0;
    }

    /** Writes {@code upload.last}; under the lock. */
    private void record(long lastAttempt, long notBefore) throws IOException {
        String text = LAST_ATTEMPT + lastAttempt + "\n" + NOT_BEFORE + notBefore + "\n";
        Outbox.writeAtomically(stateDirectory.resolve("upload.last"), text.getBytes(StandardCharsets.UTF_8));
    }

    /** The endpoint, or {@code null} (noted in the round) when it cannot be used. */
    private URI endpointUri(UploadResult round) {
        try {
            return CollectorAnswer.endpoint(endpoint, app);
        } catch (IllegalArgumentException e) {
            SdkLog.log(DEBUG, e.getMessage());
            round.note(e.getMessage());
            return null;
        }
    }

    private void print(String message) {
        PrintStream err = debug;
        if (err != null) {
            try {
                err.println("[candor] " + message);
            } catch (RuntimeException e) {
                // The host's stderr is not ours to fail on.
            }
        }
    }

    /**
     * The uploader's threads: named daemons at the lowest priority, with no context class loader and no
     * inherited thread-locals, that swallow whatever their work throws. One class for the background loop
     * and for {@link #sendNow} (not lambdas: the first lambda in a JVM costs about a hundred classes).
     */
    private final class Worker extends Thread {
        /** The {@link #sendNow} round to run, or {@code null} for the background loop. */
        private final UploadResult round;

        Worker(String name, UploadResult round) {
            super(null, null, name, 0, false);
            this.round = round;
            setDaemon(true);
            setPriority(MIN_PRIORITY);
            setContextClassLoader(null);
        }

        @Override
        public void run() {
            try {
                if (round == null) {
                    loop();
                } else {
                    explicitRound(round);
                }
            } catch (Throwable t) {
                SdkLog.log(DEBUG, getName() + " ended: " + t);
            }
        }
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 4;
        }
    }

    private static String describe(Duration timeout) {
        if (timeout == null) {
            return "0 s";
        }
        long millis = timeout.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
