package io.proxygate.bootstrap.cli;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The CLI prints strings that come from credential files and upstream replies (emails, names, ids, plan names,
 * problems). A file's author could put terminal escape sequences in them to rewrite the screen, hide lines or
 * program the terminal, or bidi overrides to make one name read as another. Every byte the CLI writes therefore
 * passes through here: C0 controls other than tab and newline, DEL, C1 controls and the bidi embedding, override
 * and isolate characters leave as a visible {@code \\uXXXX} (still a valid escape inside the JSON output's strings).
 * Works on UTF-8 bytes: controls below 0x80 are single bytes, and the others start with 0xC2 or 0xE2.
 */
final class TerminalSafeOutput extends FilterOutputStream {
    private final byte[] pending = new byte[3];
    private int pendingLength;

    private TerminalSafeOutput(OutputStream out) {
        super(out);
    }

    /** A UTF-8 print stream that writes through this filter to {@code target}. */
    static PrintStream wrap(PrintStream target) {
        return new PrintStream(new TerminalSafeOutput(target), true, StandardCharsets.UTF_8);
    }

    @Override
    public void write(int b) throws IOException {
        int v = b & 0xff;
        if (pendingLength > 0) {
            pending[pendingLength++] = (byte) v;
            continueSequence();
            return;
        }
        if ((v < 0x20 && v != '\t' && v != '\n') || v == 0x7f) {
            escape(v);
        } else if (v == 0xc2 || v == 0xe2) {
            pending[0] = (byte) v;
            pendingLength = 1;
        } else {
            out.write(v);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            write(b[i]);
        }
    }

    private void continueSequence() throws IOException {
        int lead = pending[0] & 0xff;
        int second = pending[1] & 0xff;
        if (lead == 0xc2) {
            if (second >= 0x80 && second <= 0x9f) {
                escape(second); // U+0080..U+009F, the C1 controls (CSI is U+009B)
                pendingLength = 0;
            } else {
                release();
            }
            return;
        }
        if (second != 0x80 && second != 0x81) {
            release(); // not in U+2000..U+207F: nothing to look at
            return;
        }
        if (pendingLength < 3) {
            return;
        }
        int codePoint = 0x2000 | ((second & 0x3f) << 6) | (pending[2] & 0x3f);
        if ((codePoint >= 0x202a && codePoint <= 0x202e) || (codePoint >= 0x2066 && codePoint <= 0x2069)) {
            escape(codePoint);
            pendingLength = 0;
        } else {
            release();
        }
    }

    /** Writes the held bytes unchanged. */
    private void release() throws IOException {
        out.write(pending, 0, pendingLength);
        pendingLength = 0;
    }

    private void escape(int codePoint) throws IOException {
        out.write(String.format("\\u%04x", codePoint).getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public void flush() throws IOException {
        if (pendingLength > 0) {
            release();
        }
        out.flush();
    }
}
