package io.proxygate.adapter.out.upstream.translate;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.function.Consumer;

/**
 * What every translated stream to a Chat Completions client shares: its chunks' frame (id, object, created, model,
 * one choice, the usage placeholder {@code include_usage} asks for) and how it fails. Chat streams have no error
 * event: the OpenAI API sends an error object as a data frame and stops.
 */
abstract class ChatChunkStream extends JsonEventTranslator {
    protected final String model;
    protected final boolean includeUsage;
    protected long created = Instant.now().getEpochSecond();
    protected String id;

    ChatChunkStream(String model, boolean includeUsage) {
        this.model = model;
        this.includeUsage = includeUsage;
    }

    protected final void fail(ObjectNode error, Consumer<byte[]> out) {
        ObjectNode body = Json.object();
        body.set("error", error);
        out.accept(Json.dataFrame(body));
        out.accept(Json.DONE_FRAME);
        finished = true;
    }

    /**
     * The stream's last chunk (why it stopped), the usage chunk when the client asked for one ({@code choices}
     * empty, as OpenAI sends it), and {@code [DONE]}.
     */
    protected final void finish(String finishReason, ObjectNode usage, Consumer<byte[]> out) {
        out.accept(chunk(Json.object(), finishReason));
        if (includeUsage) {
            ObjectNode last = base();
            last.putArray("choices");
            last.set("usage", usage);
            out.accept(Json.dataFrame(last));
        }
        out.accept(Json.DONE_FRAME);
        finished = true;
    }

    protected final ObjectNode base() {
        ObjectNode c = Json.object();
        c.put("id", id == null ? "chatcmpl-unknown" : id).put("object", "chat.completion.chunk");
        c.put("created", created).put("model", model);
        return c;
    }

    protected final byte[] chunk(ObjectNode delta, String finishReason) {
        ObjectNode c = base();
        ObjectNode choice = c.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        if (includeUsage) {
            c.putNull("usage");
        }
        return Json.dataFrame(c);
    }
}
