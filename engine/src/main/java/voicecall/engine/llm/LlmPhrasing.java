package voicecall.engine.llm;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import voicecall.engine.dialogue.Phrasing;
import voicecall.engine.dialogue.UncitedAnswerException;
import voicecall.rag.Alternative;
import voicecall.rag.Answer;
import voicecall.rag.Entry;

/**
 * Phrases answers with an OpenAI-compatible chat endpoint ({@code POST /v1/chat/completions},
 * {@code stream: true}) over the JDK's asynchronous HTTP client: no thread waits for the server.
 *
 * <p>The model is told to answer only from the given entries and to begin with the id of the entry
 * it uses in square brackets. The streamed text must begin so, with one of the given ids, before
 * any sentence is emitted; otherwise the sentences fail with {@link UncitedAnswerException}.
 * Sentences are emitted as soon as their end arrives. Cancelling the {@code Flux} cancels the
 * request.
 */
public final class LlmPhrasing {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int MAX_ERROR_BODY_CHARS = 200;

  private final LlmConfig config;
  private final URI endpoint;
  private final HttpClient client;

  private LlmPhrasing(LlmConfig config) {
    this.config = config;
    String base = config.baseUrl().toString();
    this.endpoint =
        URI.create(
            (base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
                + "/v1/chat/completions");
    this.client = HttpClient.newBuilder().connectTimeout(config.timeout()).build();
  }

  /**
   * Creates the phrasing client.
   *
   * @param config the endpoint and its limits
   * @return the client
   */
  public static LlmPhrasing create(LlmConfig config) {
    return new LlmPhrasing(Objects.requireNonNull(config, "config"));
  }

  /**
   * The settings of this client.
   *
   * @return the settings
   */
  public LlmConfig config() {
    return config;
  }

  /**
   * The phrased answer to a question from the given entries, sentence by sentence as it streams.
   *
   * @param question what the caller asked
   * @param entries the retrieved entries, best first; at least one
   * @return the sentences, without the citation; fails with {@link UncitedAnswerException} when the
   *     answer does not begin by citing one of the entries, {@link LlmException} when the server
   *     fails or answers badly, and a timeout after {@link LlmConfig#timeout()}
   */
  public Flux<String> sentences(String question, List<Entry> entries) {
    Objects.requireNonNull(question, "question");
    if (entries.isEmpty()) {
      return Flux.error(new IllegalArgumentException("phrasing needs at least one entry"));
    }
    List<Entry> given = List.copyOf(entries);
    return Flux.defer(
        () -> {
          HttpRequest request = request(question, given);
          Set<String> ids = new LinkedHashSet<>();
          given.forEach(e -> ids.add(e.id()));
          return Mono.fromFuture(
                  () -> client.sendAsync(request, HttpResponse.BodyHandlers.ofPublisher()), true)
              .flatMapMany(
                  response -> {
                    Flux<List<ByteBuffer>> body =
                        JdkFlowAdapter.flowPublisherToFlux(response.body());
                    if (response.statusCode() != 200) {
                      return failed(response.statusCode(), body);
                    }
                    SseLines lines = new SseLines();
                    StreamedAnswer answer = new StreamedAnswer(ids);
                    return body.concatMapIterable(lines::add)
                        .concatWith(Flux.defer(() -> Flux.fromIterable(lines.rest())))
                        .concatMapIterable(answer::line)
                        .concatWith(Flux.defer(() -> Flux.fromIterable(answer.finish())));
                  })
              .timeout(config.timeout());
        });
  }

  /**
   * This client as the conversation's phrasing: the answer's entry and its alternatives (up to
   * {@code maxEntries}, looked up by id) are the entries the model may answer from.
   *
   * @param lookup finds an entry by id
   * @param maxEntries how many retrieved entries to give the model, at least 1
   * @return the phrasing
   */
  public Phrasing phrasing(Function<String, Optional<Entry>> lookup, int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be at least 1: " + maxEntries);
    }
    return (question, answer) -> sentences(question, retrieved(answer, lookup, maxEntries));
  }

  static List<Entry> retrieved(
      Answer answer, Function<String, Optional<Entry>> lookup, int maxEntries) {
    List<String> ids = new ArrayList<>();
    String top = answer.entryId();
    if (top != null) {
      ids.add(top);
    }
    for (Alternative a : answer.alternatives()) {
      if (!ids.contains(a.entryId())) {
        ids.add(a.entryId());
      }
    }
    List<Entry> out = new ArrayList<>();
    for (String id : ids) {
      if (out.size() == maxEntries) {
        break;
      }
      lookup.apply(id).ifPresent(out::add);
    }
    return List.copyOf(out);
  }

  private Flux<String> failed(int status, Flux<List<ByteBuffer>> body) {
    return body.flatMapIterable(Function.identity())
        .reduce(
            new ByteArrayOutputStream(),
            (out, b) -> {
              byte[] bytes = new byte[b.remaining()];
              b.get(bytes);
              if (out.size() < MAX_ERROR_BODY_CHARS * 4) {
                out.write(bytes, 0, bytes.length);
              }
              return out;
            })
        .flatMapMany(
            out -> {
              String detail = out.toString(StandardCharsets.UTF_8).strip();
              if (detail.length() > MAX_ERROR_BODY_CHARS) {
                detail = detail.substring(0, MAX_ERROR_BODY_CHARS) + "…";
              }
              return Flux.error(
                  new LlmException(
                      "LLM " + endpoint.getHost() + " answered HTTP " + status + ": " + detail));
            });
  }

  private HttpRequest request(String question, List<Entry> entries) {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", config.model());
    body.put("stream", true);
    body.put("max_tokens", config.maxTokens());
    body.put("temperature", 0);
    ArrayNode messages = body.putArray("messages");
    messages.addObject().put("role", "system").put("content", instruction(entries));
    messages.addObject().put("role", "user").put("content", question);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint)
            .timeout(config.timeout())
            .header("Content-Type", "application/json")
            .header("Accept", "text/event-stream")
            .POST(
                HttpRequest.BodyPublishers.ofByteArray(
                    JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8)));
    String key = config.apiKey();
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return request.build();
  }

  /** The system instruction: answer only from the entries, cite the one used first. */
  static String instruction(List<Entry> entries) {
    StringBuilder s =
        new StringBuilder(
            "You answer a caller on the telephone. Answer ONLY from the knowledge entries below;"
                + " do not add facts that are not in them. Begin your answer with the id of the"
                + " entry you use in square brackets, for example ["
                + entries.get(0).id()
                + "], then answer in two or three short spoken sentences in the language of the"
                + " entries. If the entries do not answer the question, write only [none].\n");
    for (Entry e : entries) {
      s.append("\n[")
          .append(e.id())
          .append("] Q: ")
          .append(e.questions().get(0))
          .append("\nA: ")
          .append(e.answer())
          .append('\n');
    }
    return s.toString();
  }

  /** Cuts a byte stream into lines; {@code \n} never occurs inside a UTF-8 sequence. */
  static final class SseLines {
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    List<String> add(List<ByteBuffer> buffers) {
      List<String> lines = new ArrayList<>();
      for (ByteBuffer b : buffers) {
        while (b.hasRemaining()) {
          byte c = b.get();
          if (c == '\n') {
            lines.add(take());
          } else {
            pending.write(c);
          }
        }
      }
      return lines;
    }

    List<String> rest() {
      return pending.size() == 0 ? List.of() : List.of(take());
    }

    private String take() {
      String line = pending.toString(StandardCharsets.UTF_8);
      pending.reset();
      return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }
  }

  /** The answer being streamed: its SSE events, its citation and its sentences. */
  static final class StreamedAnswer {
    private static final int MAX_CITATION_CHARS = 80;
    private final Set<String> ids;
    private final StringBuilder head = new StringBuilder();
    private final SentenceCutter cutter = new SentenceCutter();
    private boolean cited;
    private boolean done;

    StreamedAnswer(Set<String> ids) {
      this.ids = ids;
    }

    /** The sentences completed by one SSE line. */
    List<String> line(String line) {
      if (done || !line.startsWith("data:")) {
        return List.of(); // blank separators, comments, event names, anything after [DONE]
      }
      String data = line.substring(5).strip();
      if (data.equals("[DONE]")) {
        done = true;
        return List.of();
      }
      JsonNode event;
      try {
        event = JSON.readTree(data);
      } catch (JacksonException e) {
        throw new LlmException("the stream carried an event that is not JSON: " + clip(data), e);
      }
      JsonNode choices = event == null ? null : event.get("choices");
      if (choices == null || !choices.isArray()) {
        throw new LlmException("an event has no choices: " + clip(data));
      }
      if (choices.isEmpty()) {
        return List.of();
      }
      JsonNode delta = choices.get(0).get("delta");
      JsonNode content = delta == null ? null : delta.get("content");
      if (content == null || content.isNull()) {
        return List.of();
      }
      if (!content.isString()) {
        throw new LlmException("an event's delta content is not text: " + clip(data));
      }
      return text(content.asString());
    }

    private List<String> text(String piece) {
      if (cited) {
        return cutter.add(piece);
      }
      head.append(piece);
      String h = head.toString().stripLeading();
      if (h.isEmpty()) {
        return List.of();
      }
      if (h.charAt(0) != '[') {
        throw new UncitedAnswerException("the answer does not begin with a citation: " + clip(h));
      }
      int close = h.indexOf(']');
      if (close < 0) {
        if (h.length() > MAX_CITATION_CHARS) {
          throw new UncitedAnswerException("the citation never closes: " + clip(h));
        }
        return List.of();
      }
      String id = h.substring(1, close).strip();
      if (!ids.contains(id)) {
        throw new UncitedAnswerException(
            "the answer cites [" + clip(id) + "], which is not one of " + ids);
      }
      cited = true;
      return cutter.add(h.substring(close + 1));
    }

    /** The last sentence, once the stream has ended. */
    List<String> finish() {
      if (!done) {
        throw new LlmException("the stream ended without [DONE]");
      }
      if (!cited) {
        throw new UncitedAnswerException(
            "the answer ended before citing an entry: " + clip(head.toString().strip()));
      }
      List<String> rest = cutter.finish();
      if (rest.isEmpty() && !cutter.emittedAny()) {
        throw new LlmException("the answer cites an entry but says nothing");
      }
      return rest;
    }

    private static String clip(String s) {
      return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
  }
}
