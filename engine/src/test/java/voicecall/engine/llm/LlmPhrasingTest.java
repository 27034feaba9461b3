package voicecall.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import voicecall.engine.dialogue.Phrasing;
import voicecall.engine.dialogue.UncitedAnswerException;
import voicecall.rag.Alternative;
import voicecall.rag.Answer;
import voicecall.rag.Decision;
import voicecall.rag.Entry;
import voicecall.rag.Language;

class LlmPhrasingTest {

  private static final Entry HOURS =
      new Entry(
          "hours",
          List.of("When are you open?"),
          "We are open from nine to five on weekdays.",
          List.of("hours"),
          Language.EN);
  private static final Entry PARKING =
      new Entry(
          "parking",
          List.of("Where can I park?"),
          "Parking is behind the building.",
          List.of("parking"),
          Language.EN);
  private static final String FAQ = HOURS.answer();

  private final MockWebServer server = new MockWebServer();

  @BeforeEach
  void start() throws IOException {
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private LlmPhrasing client(Duration timeout, Duration deadline) {
    return LlmPhrasing.create(
        new LlmConfig(
            URI.create(server.url("/").toString()),
            "small-model",
            "secret",
            timeout,
            deadline,
            120));
  }

  private LlmPhrasing client() {
    return client(Duration.ofSeconds(5), Duration.ofSeconds(2));
  }

  /** One SSE event carrying a piece of the answer. */
  static String event(String content) {
    String escaped = content.replace("\\", "\\\\").replace("\"", "\\\"");
    return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
        + "\"delta\":{\"content\":\""
        + escaped
        + "\"},\"finish_reason\":null}]}\n\n";
  }

  static String stream(String... pieces) {
    StringBuilder s =
        new StringBuilder("data: {\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}\n\n");
    for (String p : pieces) {
      s.append(event(p));
    }
    return s.append("data: [DONE]\n\n").toString();
  }

  private static MockResponse sse(String body) {
    return new MockResponse.Builder()
        .addHeader("Content-Type", "text/event-stream")
        .chunkedBody(body, 16)
        .build();
  }

  private List<String> collect(Flux<String> sentences) {
    return java.util.Objects.requireNonNull(sentences.collectList().block(Duration.ofSeconds(10)));
  }

  private List<String> guarded(Flux<String> phrased, List<Phrasing.Result> results) {
    return collect(
        Phrasing.guarded(
            phrased, FAQ, Duration.ofMillis(300), Schedulers.parallel(), results::add));
  }

  /** Writes one HTTP/1.1 chunk and sends it. */
  private static void chunk(BufferedSink sink, String text) throws IOException {
    byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    sink.writeUtf8(Integer.toHexString(bytes.length) + "\r\n").write(bytes).writeUtf8("\r\n");
    sink.flush();
  }

  @Test
  void theFirstSentenceIsEmittedBeforeTheRestOfTheAnswerIsSent() throws Exception {
    CountDownLatch firstSentence = new CountDownLatch(1);
    AtomicBoolean restWaitedForIt = new AtomicBoolean();
    String head =
        "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}\n\n"
            + event(" [hou")
            + event("rs] We open at nine")
            + event(". ");
    String tail = event("We close at five") + event(" on weekdays.") + "data: [DONE]\n\n";
    MockResponseBody body =
        new MockResponseBody() {
          @Override
          public long getContentLength() {
            return -1;
          }

          @Override
          public void writeTo(BufferedSink sink) throws IOException {
            chunk(sink, head);
            try {
              restWaitedForIt.set(firstSentence.await(5, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            chunk(sink, tail);
            sink.writeUtf8("0\r\n\r\n");
            sink.flush();
          }
        };
    server.enqueue(
        new MockResponse.Builder()
            .addHeader("Content-Type", "text/event-stream")
            .addHeader("Transfer-Encoding", "chunked")
            .body(body)
            .build());
    List<String> seen = new CopyOnWriteArrayList<>();

    List<String> sentences =
        collect(
            client()
                .sentences("when do you open", List.of(HOURS, PARKING))
                .doOnNext(
                    s -> {
                      seen.add(s);
                      firstSentence.countDown();
                    }));

    assertThat(sentences).containsExactly("We open at nine.", "We close at five on weekdays.");
    assertThat(restWaitedForIt).as("first sentence arrived while the rest was held back").isTrue();
    RecordedRequest request = server.takeRequest();
    assertThat(request.getTarget()).isEqualTo("/v1/chat/completions");
    assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer secret");
    String json = request.getBody().utf8();
    assertThat(json)
        .contains("\"stream\":true", "\"model\":\"small-model\"", "\"max_tokens\":120")
        .contains("[hours]", "[parking]", "ONLY from the knowledge entries", "when do you open");
  }

  @Test
  void aSlowFirstSentenceFallsBackToTheKnowledgeAnswer() {
    server.enqueue(
        new MockResponse.Builder()
            .addHeader("Content-Type", "text/event-stream")
            .body(stream("[hours] We open at nine. ", "Bye."))
            .bodyDelay(3, TimeUnit.SECONDS)
            .build());
    List<Phrasing.Result> results = new CopyOnWriteArrayList<>();

    assertThat(guarded(client().sentences("hours?", List.of(HOURS)), results)).containsExactly(FAQ);
    assertThat(results).containsExactly(Phrasing.Result.FALLBACK_DEADLINE);
  }

  @Test
  void aServerErrorFallsBack() {
    server.enqueue(new MockResponse.Builder().code(500).body("{\"error\":\"overloaded\"}").build());
    server.enqueue(new MockResponse.Builder().code(500).body("{\"error\":\"overloaded\"}").build());
    List<Phrasing.Result> results = new CopyOnWriteArrayList<>();

    assertThatThrownBy(() -> collect(client().sentences("hours?", List.of(HOURS))))
        .isInstanceOf(LlmException.class)
        .hasMessageContaining("HTTP 500")
        .hasMessageContaining("overloaded");
    assertThat(guarded(client().sentences("hours?", List.of(HOURS)), results)).containsExactly(FAQ);
    assertThat(results).containsExactly(Phrasing.Result.FALLBACK_ERROR);
  }

  @Test
  void anAnswerCitingAnotherEntryOrNoneIsRefused() {
    server.enqueue(sse(stream("[prices] It costs ten euros.")));
    server.enqueue(sse(stream("We open at nine. [hours]")));
    server.enqueue(sse(stream("[none]")));
    List<Phrasing.Result> results = new CopyOnWriteArrayList<>();

    assertThatThrownBy(() -> collect(client().sentences("hours?", List.of(HOURS, PARKING))))
        .isInstanceOf(UncitedAnswerException.class)
        .hasMessageContaining("[prices]");
    assertThatThrownBy(() -> collect(client().sentences("hours?", List.of(HOURS))))
        .isInstanceOf(UncitedAnswerException.class)
        .hasMessageContaining("does not begin with a citation");
    assertThat(guarded(client().sentences("hours?", List.of(HOURS)), results)).containsExactly(FAQ);
    assertThat(results).containsExactly(Phrasing.Result.FALLBACK_CITATION);
  }

  @Test
  void malformedEventsFallBack() {
    server.enqueue(sse("data: {\"choices\":[{\"delta\":{\"content\":\"[hours] We op\n\n"));
    server.enqueue(sse("data: {\"choices\":[{\"delta\":{\"content\":\"[hours] We op\n\n"));
    List<Phrasing.Result> results = new CopyOnWriteArrayList<>();

    assertThatThrownBy(() -> collect(client().sentences("hours?", List.of(HOURS))))
        .isInstanceOf(LlmException.class)
        .hasMessageContaining("not JSON");
    assertThat(guarded(client().sentences("hours?", List.of(HOURS)), results)).containsExactly(FAQ);
    assertThat(results).containsExactly(Phrasing.Result.FALLBACK_ERROR);
  }

  @Test
  void aStreamCutAfterTheFirstSentenceEndsTheReplyThere() {
    server.enqueue(sse(stream("[hours] We open at nine. We clo").replace("data: [DONE]\n\n", "")));
    List<Phrasing.Result> results = new CopyOnWriteArrayList<>();

    assertThat(guarded(client().sentences("hours?", List.of(HOURS)), results))
        .containsExactly("We open at nine.");
    assertThat(results).containsExactly(Phrasing.Result.PHRASED, Phrasing.Result.FAILED_MIDWAY);
  }

  @Test
  void thePhrasingGivesTheAnswersEntryAndItsAlternatives() {
    Map<String, Entry> byId = Map.of("hours", HOURS, "parking", PARKING);
    Answer answer =
        new Answer(
            Decision.ANSWER,
            "parking",
            PARKING.answer(),
            0.8,
            List.of(new Alternative("gone", 0.5), new Alternative("hours", 0.4)),
            1);
    assertThat(LlmPhrasing.retrieved(answer, id -> Optional.ofNullable(byId.get(id)), 3))
        .containsExactly(PARKING, HOURS);
    assertThat(LlmPhrasing.retrieved(answer, id -> Optional.ofNullable(byId.get(id)), 1))
        .containsExactly(PARKING);
  }

  @Test
  void configIsValidated() {
    URI ok = URI.create("http://localhost:1");
    assertThatThrownBy(() -> LlmConfig.of(URI.create("ftp://x"), "m"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LlmConfig.of(ok, " ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new LlmConfig(ok, "m", null, Duration.ofSeconds(1), Duration.ofSeconds(2), 10))
        .hasMessageContaining("deadline");
    assertThatThrownBy(
            () -> new LlmConfig(ok, "m", null, Duration.ofSeconds(1), Duration.ofMillis(1), 0))
        .hasMessageContaining("tokens");
    LlmConfig config =
        new LlmConfig(ok, "m", "key", Duration.ofSeconds(1), Duration.ofMillis(700), 9);
    assertThat(config.toString()).doesNotContain("key=key").contains("***");
    assertThat(LlmConfig.of(ok, "m").firstSentenceDeadline()).isEqualTo(Duration.ofMillis(700));
  }
}
