package io.proxygate.domain.credential;

/** File-name rules shared by everything that writes pool files: sanitising, plus traversal checks. */
public final class FileNames {
    private FileNames() {
    }

    /**
     * Turns an email or id into a file stem (existing pool files are named this way): every character outside
     * {@code [A-Za-z0-9._-]} becomes {@code _}, leading and trailing {@code _} are trimmed.
     *
     * @throws IllegalArgumentException for input that could never be a safe name (blank, NUL or control
     *                                  characters, {@code .}/{@code ..}, path separators, a leading dot)
     */
    public static String sanitize(String emailOrId) {
        if (emailOrId == null || emailOrId.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        for (int i = 0; i < emailOrId.length(); i++) {
            char c = emailOrId.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException("name contains a control character");
            }
            if (c == '/' || c == '\\') {
                throw new IllegalArgumentException("name must not contain a path separator: " + emailOrId);
            }
        }
        if (emailOrId.contains("..")) {
            throw new IllegalArgumentException("name must not contain '..': " + emailOrId);
        }
        StringBuilder out = new StringBuilder(emailOrId.length());
        for (int i = 0; i < emailOrId.length(); i++) {
            char c = emailOrId.charAt(i);
            boolean safe = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            out.append(safe ? c : '_');
        }
        String stem = out.toString().replaceAll("^_+|_+$", "");
        if (stem.isEmpty() || stem.equals(".")) {
            throw new IllegalArgumentException("name has no safe characters: " + emailOrId);
        }
        if (stem.startsWith(".")) {
            // A dot file is hidden from the pool scan: the credential would be written and never used.
            throw new IllegalArgumentException("name must not start with '.': " + emailOrId);
        }
        return stem;
    }
}
