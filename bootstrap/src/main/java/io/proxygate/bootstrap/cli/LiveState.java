package io.proxygate.bootstrap.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;
import io.proxygate.domain.credential.Credential;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What only a running server knows about each credential: requests in flight and model-family cooldowns live in
 * its router's memory, never in the pool files or the database. Fetched from the server's admin API (the same
 * address and token {@code clear-cooldown} uses); when no server answers, {@link #note()} says so and the commands
 * print what they can read offline.
 */
final class LiveState {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SECTIONS = List.of("accounts", "claude-accounts", "keys");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    /** One credential's live state: in-flight requests and model family to cooldown end (future ends only). */
    record Live(int inFlight, Map<String, Instant> modelCooldowns) {
    }

    private final Map<String, Live> byLabel;
    private final Optional<String> unavailable;

    private LiveState(Map<String, Live> byLabel, Optional<String> unavailable) {
        this.byLabel = byLabel;
        this.unavailable = unavailable;
    }

    /** Asks the running server; never fails: an unreachable or refusing server gives a state with a note. */
    static LiveState fetch(ProxyGateConfiguration cfg) {
        String base = RunningServer.base(cfg);
        String where = base.substring("http://".length());
        if (RunningServer.adminToken(cfg).isEmpty()) {
            // The server writes its token at start-up; no token means no server has run with this data directory.
            return down("server not running at " + where);
        }
        Instant now = Instant.now();
        Map<String, Live> byLabel = new HashMap<>();
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            Optional<String> token = RunningServer.trustedToken(client, cfg);
            if (token.isEmpty()) {
                return down("the listener at " + where + " could not prove it is this ProxyGate (it does not hold "
                        + "the data directory's admin token), so the token was not sent");
            }
            for (String section : SECTIONS) {
                HttpResponse<String> reply = client.send(HttpRequest.newBuilder(URI.create(base + "/admin/" + section))
                                .timeout(Duration.ofSeconds(3)).header("X-Admin-Token", token.get()).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (reply.statusCode() != 200) {
                    return down("the server at " + where + " answered HTTP " + reply.statusCode());
                }
                JsonNode rows = JSON.readTree(reply.body());
                if (!rows.isArray()) {
                    return down("the server at " + where + " sent no credential list");
                }
                for (JsonNode row : rows) {
                    String label = section.equals("keys") ? row.path("id").asText("") : row.path("email").asText("");
                    byLabel.put(key(section, label), new Live(row.path("in_flight").asInt(0),
                            cooldowns(row.path("model_cooldowns"), now)));
                }
            }
        } catch (IOException e) {
            return down("server not running at " + where);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return down("interrupted while asking the server at " + where);
        }
        return new LiveState(byLabel, Optional.empty());
    }

    private static LiveState down(String why) {
        return new LiveState(Map.of(), Optional.of(why));
    }

    private static String key(String section, String label) {
        return section + "\n" + label;
    }

    private static Map<String, Instant> cooldowns(JsonNode node, Instant now) {
        Map<String, Instant> out = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            instant(e.getValue()).filter(now::isBefore).ifPresent(t -> out.put(e.getKey(), t));
        }
        return out;
    }

    /** An ISO-8601 text or epoch seconds (with a fraction), whichever the server's JSON writer chose. */
    private static Optional<Instant> instant(JsonNode v) {
        try {
            if (v.isTextual()) {
                return Optional.of(Instant.parse(v.asText()));
            }
            if (v.isNumber()) {
                BigDecimal s = v.decimalValue();
                return Optional.of(Instant.ofEpochSecond(s.longValue(),
                        s.remainder(BigDecimal.ONE).movePointRight(9).longValue()));
            }
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    boolean available() {
        return unavailable.isEmpty();
    }

    /** The line printed when the live fields are unknown. */
    String note() {
        return "(" + unavailable.orElse("") + ": in-flight and model cooldowns unknown)";
    }

    Optional<Live> of(Credential c) {
        return Optional.ofNullable(byLabel.get(key(ClearCooldownCommand.section(c), c.label())));
    }

    /** In flight against the cap ({@code 1/2}), or the bare count when the credential has no cap. */
    static String inFlight(Live live, int cap) {
        return cap > 0 ? live.inFlight() + "/" + cap : Integer.toString(live.inFlight());
    }

    /** {@code opus until 12:34:56}, comma-separated; the date too when the end is not today. */
    static String cooldownText(Map<String, Instant> cooldowns) {
        ZoneId zone = ZoneId.systemDefault();
        LocalDate today = LocalDate.now(zone);
        StringBuilder b = new StringBuilder();
        cooldowns.forEach((family, until) -> {
            var local = until.atZone(zone);
            b.append(b.isEmpty() ? "" : ", ").append(family).append(" until ")
                    .append(local.toLocalDate().equals(today) ? TIME.format(local) : DATE_TIME.format(local));
        });
        return b.toString();
    }

    /** {@code in_flight} and {@code model_cooldowns} (family to ISO end) for the commands' JSON. */
    static void json(ObjectNode row, Live live) {
        row.put("in_flight", live.inFlight());
        ObjectNode m = row.putObject("model_cooldowns");
        live.modelCooldowns().forEach((family, until) -> m.put(family, until.toString()));
    }
}
