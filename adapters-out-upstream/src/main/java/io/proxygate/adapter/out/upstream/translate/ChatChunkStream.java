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
    /** What the upstream streams ("message", "response"): named in the error when its stream ends too early. */
    private final String upstreamReply;
    protected long created = Instant.now().getEpochSecond();
    protected String id;

    ChatChunkStream(String model, boolean includeUsage, String upstreamReply) {
        this.model = model;
        this.includeUsage = includeUsage;
        this.upstreamReply = upstreamReply;
    }

    @Override
    public final void end(boolean clean, Consumer<byte[]> out) {
        if (!finished) {
            fail(ErrorShapes.openAiStreamEnded(clean, upstreamReply), out);
        }
    }

    /** The stream's first chunk: the assistant's role, with empty content. */
    protected final byte[] openingChunk() {
        return chunk(Json.object().put("role", "assistant").put("content", ""), null);
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

    /** The chunk that opens tool call {@code index}: its call id and function name, its arguments still empty. */
    protected final byte[] toolCallStart(int index, String callId, String name) {
        ObjectNode call = Json.object().put("index", index);
        call.put("id", callId).put("type", "function");
        call.putObject("function").put("name", name).put("arguments", "");
        return toolCallChunk(call);
    }

    /** The chunk that adds {@code part} to tool call {@code index}'s arguments. */
    protected final byte[] toolCallArguments(int index, String part) {
        ObjectNode call = Json.object().put("index", index);
        call.putObject("function").put("arguments", part);
        return toolCallChunk(call);
    }

    private byte[] toolCallChunk(ObjectNode call) {
        ObjectNode delta = Json.object();
        delta.putArray("tool_calls").add(call);
        return chunk(delta, null);
    }
}
