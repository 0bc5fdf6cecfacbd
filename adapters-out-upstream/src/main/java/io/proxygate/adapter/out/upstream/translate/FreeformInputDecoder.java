package io.proxygate.adapter.out.upstream.translate;

/**
 * Streams the decoded value of one string field out of a JSON object that arrives in arbitrary fragments (Anthropic's
 * {@code input_json_delta}), so a free-form tool's input reaches the client as text deltas while it is generated.
 * Best effort: the final value always comes from parsing the whole object; this only has to be right for the usual
 * {@code {"input": "..."}}. Escapes split across fragments wait for their remaining characters.
 */
final class FreeformInputDecoder {
    private final String key;
    private final StringBuilder raw = new StringBuilder();
    private int pos;
    private boolean inValue;
    private boolean done;

    FreeformInputDecoder(String field) {
        this.key = "\"" + field + "\"";
    }

    /** Appends a fragment and returns the value text it completes (possibly empty). */
    String feed(String fragment) {
        raw.append(fragment);
        if (done) {
            return "";
        }
        if (!inValue && !findValueStart()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        while (pos < raw.length()) {
            char c = raw.charAt(pos);
            if (c == '"') {
                done = true;
                pos++;
                break;
            }
            if (c != '\\') {
                out.append(c);
                pos++;
                continue;
            }
            if (pos + 1 >= raw.length()) {
                break;
            }
            char e = raw.charAt(pos + 1);
            if (e == 'u') {
                if (pos + 6 > raw.length()) {
                    break;
                }
                out.append((char) Integer.parseInt(raw.substring(pos + 2, pos + 6), 16));
                pos += 6;
                continue;
            }
            out.append(switch (e) {
                case 'n' -> '\n';
                case 't' -> '\t';
                case 'r' -> '\r';
                case 'b' -> '\b';
                case 'f' -> '\f';
                default -> e; // \" \\ \/
            });
            pos += 2;
        }
        return out.toString();
    }

    private boolean findValueStart() {
        int k = raw.indexOf(key);
        if (k < 0) {
            return false;
        }
        int colon = next(':', k + key.length());
        if (colon < 0) {
            return false;
        }
        int quote = next('"', colon + 1);
        if (quote < 0) {
            return false;
        }
        pos = quote + 1;
        inValue = true;
        return true;
    }

    /**
     * Where {@code expected} stands, after any white space from {@code from}; -1 while the fragments have not reached
     * it, and -1 (and nothing more to decode) when another character stands there: the field holds no string.
     */
    private int next(char expected, int from) {
        int i = from;
        while (i < raw.length() && Character.isWhitespace(raw.charAt(i))) {
            i++;
        }
        if (i >= raw.length()) {
            return -1;
        }
        if (raw.charAt(i) != expected) {
            done = true;
            return -1;
        }
        return i;
    }
}
