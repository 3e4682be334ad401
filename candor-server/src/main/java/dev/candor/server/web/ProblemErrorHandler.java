package dev.candor.server.web;

import dev.candor.server.ingest.Problem;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's own error answers (a request it refuses before any route sees it: a broken request
 * line, an ambiguous path, oversized headers) as {@code application/problem+json} like every
 * other error of the collector, instead of Jetty's HTML page.
 */
final class ProblemErrorHandler extends ErrorHandler {

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(new HttpField(HttpHeader.CONTENT_TYPE, Problem.MEDIA_TYPE));
        return ByteBuffer.wrap(problem(status, reason).toJson());
    }

    @Override
    protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request,
            HttpServletResponse response, int code, String message) throws IOException {
        baseRequest.setHandled(true);
        response.setContentType(Problem.MEDIA_TYPE);
        response.getOutputStream().write(problem(code, message).toJson());
    }

    private static Problem problem(int status, String reason) {
        String phrase = HttpStatus.getMessage(status);
        String detail = "the HTTP request was refused before reaching the collector: "
                + (reason == null || reason.isBlank() ? phrase : reason);
        String kind = status == 400 ? "malformed" : status == 413 || status == 431 ? "too-large" : "http-" + status;
        return new Problem(status, kind, phrase, detail, List.of());
    }
}
