package dev.candor.server.web.dashboard;

import dev.candor.server.web.CollectorServer;
import io.javalin.http.Context;

/**
 * The maintainer sign-in page. One markup serves each answer at
 * {@link CollectorServer#SIGN_IN_PATH}: the form, a refused token, admin access off, and the collector's
 * refusal to look at a token while its sender must wait after too many wrong ones, which a browser must
 * show as a page (with the form to try again later), not as a problem document.
 */
public final class SignInPage {
    private SignInPage() {
    }

    /**
     * Answers a sign-in form sent while its sender must wait (see {@link CollectorServer}): 429 with
     * {@code Retry-After}, and the sign-in page saying how long to wait.
     */
    public static void tooManyWrongTokens(Context ctx, long retryAfterSeconds, int atOnce) {
        ctx.status(429).header("Retry-After", Long.toString(retryAfterSeconds));
        send(ctx, "Too many wrong admin tokens were sent from this address (" + atOnce + " at once, then one a "
                + "minute), so this one was not looked at. Wait " + retryAfterSeconds
                + (retryAfterSeconds == 1 ? " second" : " seconds") + ", then sign in again.");
    }

    /** Sends the sign-in page with {@code notice} (null: none) above the form, at the status already set. */
    static void send(Context ctx, String notice) {
        send(ctx, notice, false);
    }

    /**
     * Sends the sign-in page with {@code notice} (null: none), at the status already set; {@code signedIn}
     * (this browser's sign-in cookie is valid) says so and offers Sign out instead of the form.
     */
    static void send(Context ctx, String notice, boolean signedIn) {
        String body = "<h1>Maintainer sign-in</h1>\n"
                + (notice == null ? "" : "<p class=\"notice\">" + Html.esc(notice) + "</p>\n")
                + (signedIn ? "<p class=\"maintainer-note\">You are signed in as a maintainer: the app pages show "
                        + "the exact numbers of periods that are not released yet, marked EXACT.</p>\n"
                        + "<form method=\"post\" action=\"" + DashboardRoutes.SIGN_OUT_PATH + "\"><button type=\"submit\">"
                        + "Sign out</button></form>\n"
                        : "<p>With the collector's admin token you also see the exact numbers of periods that are not "
                        + "released yet. Everyone else sees releases only.</p>\n"
                        + "<form method=\"post\" action=\"" + CollectorServer.SIGN_IN_PATH + "\"><label>Admin token "
                        + "<input type=\"password\" name=\"token\" autocomplete=\"current-password\" required></label> "
                        + "<button type=\"submit\">Sign in</button></form>\n");
        DashboardPages.send(ctx, DashboardPages.page("Maintainer sign-in — Candor", body, null));
    }
}
