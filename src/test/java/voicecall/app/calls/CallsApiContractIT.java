package voicecall.app.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;
import voicecall.app.TestDatabases;
import voicecall.app.config.VoiceCallProperties;
import voicecall.app.telephony.CallOrigin;
import voicecall.app.telephony.CallRegistry;
import voicecall.engine.call.Call;
import voicecall.engine.call.HangupCause;
import voicecall.engine.dialogue.Turn;
import voicecall.rag.Decision;

/**
 * Call records end to end on a real database: calls connect through the real registry, their turns
 * go through the real recorder and buffer into the database, and the endpoints must show exactly
 * what happened: the list with its filters and pages, each call with its turns, the grouped
 * unanswered questions and the stats. The database may hold other calls: every query here is
 * bounded to the time this test's calls ran in, or to their ids. Each subclass picks a database.
 */
// No speech: these calls are placed through the registry, and the CPU stays with later tests.
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"voicecall.conversation.enabled=false", "voicecall.tts.prerender.enabled=false"})
abstract class CallsApiContractIT {

  private static final ParameterizedTypeReference<Map<String, Object>> MAP =
      new ParameterizedTypeReference<>() {};
  private static final Instant T0 = Instant.parse("2026-01-01T09:00:00Z");

  @LocalServerPort int port;
  @Autowired CallRegistry registry;
  @Autowired CallRecorder recorder;
  @Autowired MeterRegistry meters;
  @Autowired VoiceCallProperties properties;

  WebTestClient http;

  @BeforeEach
  void client() {
    http = TestDatabases.http(port);
  }

  /** One turn to report: what was heard and decided, and its voice-to-voice (null: no reply). */
  record T(
      String heard,
      Decision decision,
      @Nullable String entryId,
      String reply,
      @Nullable Long v2v) {}

  /** The confidence every ANSWER turn is reported with; other turns carry none. */
  private static final double ANSWER_SCORE = 0.75;

  /** A call as placed: its id, the outcome it must get, its turns. */
  record Placed(String id, String outcome, List<T> turns) {}

  private Placed place(@Nullable CallOrigin origin, HangupCause cause, String outcome, T... turns) {
    String id = CallRegistry.newCallId().toString();
    Disposable announced = origin == null ? () -> {} : registry.expect(id, "en", origin);
    Call call = Call.open(id, "en", 8000, Schedulers.parallel());
    registry.register(call);
    Consumer<Turn> report = recorder.turns(call);
    int index = 0;
    for (T t : turns) {
      index++;
      Instant ended = T0.plusSeconds(10L * index);
      Long v2v = t.v2v();
      report.accept(
          new Turn(
              index,
              t.heard(),
              t.decision(),
              t.entryId(),
              t.decision() == Decision.ANSWER ? ANSWER_SCORE : null,
              t.reply(),
              ended,
              ended.plusMillis(40),
              ended.plusMillis(41),
              v2v == null ? null : ended.plusMillis(v2v)));
    }
    call.end(cause);
    announced.dispose();
    return new Placed(id, outcome, List.of(turns));
  }

  private String transfer() {
    return properties.tts().prompts().en().transfer();
  }

  @Test
  void recordsListDetailsUnansweredAndStatsShowExactlyWhatHappened() {
    double answeredBefore = meters.counter("voicecall.calls.ended", "outcome", "answered").count();
    Instant from = Instant.now();
    String channel = "PJSIP/alice-" + CallRegistry.newCallId().toString().substring(0, 8);
    String uniqueId = "1764000000." + (System.nanoTime() % 100000);
    List<Placed> placed = new ArrayList<>();
    placed.add(
        place(
            new CallOrigin("fastagi", channel, uniqueId),
            HangupCause.CALLER,
            "answered",
            new T(
                "how do I change my plan", Decision.ANSWER, "plan", "Change it in the app.", 400L),
            new T("what's the weather tomorrow", Decision.NONE, null, "Say it again?", 600L)));
    placed.add(
        place(
            new CallOrigin("ari", "ari-" + channel, ""),
            HangupCause.TRANSFER,
            "transferred",
            new T("weather tomorrow please", Decision.NONE, null, "Say it again?", 500L),
            new T("agent please", Decision.HUMAN, null, transfer(), 300L)));
    placed.add(
        place(
            null,
            HangupCause.TRANSFER,
            "transferred",
            new T("how do I cancel", Decision.NONE, null, "Say it again?", 700L),
            new T("how to cancel my order", Decision.NONE, null, transfer(), 800L)));
    placed.add(place(null, HangupCause.FAILURE, "error"));
    placed.add(place(null, HangupCause.CALLER, "abandoned"));
    placed.add(
        place(
            null,
            HangupCause.CALLER,
            "answered",
            new T("opening hours", Decision.CLARIFY, "hours", "I think...", 900L),
            new T("yes the store hours", Decision.ANSWER, "hours", "Nine to eight.", null)));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> total(list(Map.of("from", from.toString()))) == placed.size());
    Instant to = Instant.now().plusSeconds(1);
    Map<String, String> window = Map.of("from", from.toString(), "to", to.toString());

    // the list: newest first, paged, every call once
    List<Map<String, Object>> page0 = items(list(with(window, "size", "4", "page", "0")));
    List<Map<String, Object>> page1 = items(list(with(window, "size", "4", "page", "1")));
    assertThat(page0).hasSize(4);
    assertThat(page1).hasSize(2);
    List<Map<String, Object>> all = new ArrayList<>(page0);
    all.addAll(page1);
    assertThat(all.stream().map(c -> str(c, "id")))
        .containsExactlyInAnyOrderElementsOf(placed.stream().map(Placed::id).toList());
    assertThat(all.stream().map(c -> Instant.parse(str(c, "startedAt"))).toList())
        .isSortedAccordingTo(Comparator.reverseOrder());
    for (Map<String, Object> c : all) {
      Placed p = byId(placed, str(c, "id"));
      assertThat(c)
          .containsEntry("outcome", p.outcome())
          .containsEntry("turns", p.turns().size())
          .containsEntry("language", "en");
    }

    // filters: outcome, and every external id
    assertThat(ids(list(with(window, "outcome", "transferred"))))
        .containsExactlyInAnyOrder(placed.get(1).id(), placed.get(2).id());
    assertThat(ids(list(with(window, "outcome", "ERROR")))).containsExactly(placed.get(3).id());
    assertThat(ids(list(Map.of("externalId", channel)))).containsExactly(placed.get(0).id());
    assertThat(ids(list(Map.of("externalId", uniqueId)))).containsExactly(placed.get(0).id());
    assertThat(ids(list(Map.of("externalId", placed.get(4).id()))))
        .containsExactly(placed.get(4).id());
    assertThat(ids(list(Map.of("externalId", "no-such-channel")))).isEmpty();

    // one call with its turns and latency marks
    Map<String, Object> detail = get("/api/v1/calls/" + placed.get(0).id());
    @SuppressWarnings("unchecked")
    Map<String, Object> call = (Map<String, Object>) detail.get("call");
    assertThat(call)
        .containsEntry("adapter", "fastagi")
        .containsEntry("hangupCause", "CALLER")
        .containsEntry("outcome", "answered")
        .containsEntry(
            "externalIds",
            Map.of("audiosocket", placed.get(0).id(), "channel", channel, "uniqueId", uniqueId));
    List<Map<String, Object>> turns = list(detail, "turns");
    assertThat(turns).hasSize(2);
    assertThat(turns.get(0))
        .containsEntry("index", 1)
        .containsEntry("heard", "how do I change my plan")
        .containsEntry("decision", "ANSWER")
        .containsEntry("entryId", "plan")
        .containsEntry("score", ANSWER_SCORE)
        .containsEntry("voiceToVoiceMs", 400);
    assertThat(Instant.parse(str(turns.get(0), "speechEndedAt"))).isEqualTo(T0.plusSeconds(10));
    assertThat(Instant.parse(str(turns.get(0), "recognisedAt")))
        .isEqualTo(T0.plusSeconds(10).plusMillis(40));
    assertThat(Instant.parse(str(turns.get(0), "decidedAt")))
        .isEqualTo(T0.plusSeconds(10).plusMillis(41));
    assertThat(Instant.parse(str(turns.get(0), "firstAudioAt")))
        .isEqualTo(T0.plusSeconds(10).plusMillis(400));
    assertThat(turns.get(1))
        .containsEntry("decision", "NONE")
        .containsEntry("entryId", null)
        .containsEntry("score", null);
    Map<String, Object> last = get("/api/v1/calls/" + placed.get(5).id());
    assertThat(list(last, "turns").get(1))
        .containsEntry("firstAudioAt", null)
        .containsEntry("voiceToVoiceMs", null);

    // unanswered questions (NONE or HUMAN), grouped
    Map<String, Object> unanswered = get("/api/v1/unanswered", window);
    List<T> missed =
        placed.stream()
            .flatMap(p -> p.turns().stream())
            .filter(t -> t.decision() == Decision.NONE || t.decision() == Decision.HUMAN)
            .toList();
    assertThat(unanswered).containsEntry("questions", missed.size());
    List<Map<String, Object>> groups = list(unanswered, "groups");
    assertThat(groups).extracting(g -> g.get("count")).containsExactly(2, 2, 1);
    Map<String, Map<String, Object>> byFirst = new HashMap<>();
    for (Map<String, Object> g : groups) {
      @SuppressWarnings("unchecked")
      List<String> qs = (List<String>) Objects.requireNonNull(g.get("questions"));
      byFirst.put(qs.stream().sorted().collect(Collectors.joining(" | ")), g);
    }
    assertThat(byFirst)
        .containsOnlyKeys(
            "weather tomorrow please | what's the weather tomorrow",
            "how do I cancel | how to cancel my order",
            "agent please");
    assertThat(byFirst.get("agent please")).containsEntry("callIds", List.of(placed.get(1).id()));
    assertThat(
            Objects.requireNonNull(
                    byFirst.get("weather tomorrow please | what's the weather tomorrow"))
                .get("callIds"))
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
        .containsExactlyInAnyOrder(placed.get(0).id(), placed.get(1).id());

    // stats, computed here from what was placed
    Map<String, Object> stats = get("/api/v1/stats", window);
    Map<String, Long> outcomes = new LinkedHashMap<>();
    long answeredCalls = placed.stream().filter(p -> p.outcome().equals("answered")).count();
    long transferredCalls = placed.stream().filter(p -> p.outcome().equals("transferred")).count();
    for (String o : List.of("answered", "transferred", "abandoned", "error")) {
      outcomes.put(o, placed.stream().filter(p -> p.outcome().equals(o)).count());
    }
    List<T> allTurns = placed.stream().flatMap(p -> p.turns().stream()).toList();
    long answeredTurns = allTurns.stream().filter(t -> t.decision() == Decision.ANSWER).count();
    List<Long> v2v = allTurns.stream().map(T::v2v).filter(Objects::nonNull).sorted().toList();
    assertThat(number(stats, "calls")).isEqualTo(placed.size());
    assertThat(stats.get("outcomes")).isEqualTo(toInts(outcomes));
    assertThat(stats.get("containmentRate")).isEqualTo((double) answeredCalls / placed.size());
    assertThat(stats.get("transferRate")).isEqualTo((double) transferredCalls / placed.size());
    assertThat(number(stats, "turns")).isEqualTo(allTurns.size());
    assertThat(number(stats, "answeredTurns")).isEqualTo(answeredTurns);
    assertThat(stats.get("answerRate")).isEqualTo((double) answeredTurns / allTurns.size());
    @SuppressWarnings("unchecked")
    Map<String, Object> latency =
        (Map<String, Object>) Objects.requireNonNull(stats.get("voiceToVoiceMs"));
    assertThat(number(latency, "turns")).isEqualTo(v2v.size());
    assertThat(number(latency, "p50")).isEqualTo(nearestRank(v2v, 0.50));
    assertThat(number(latency, "p95")).isEqualTo(nearestRank(v2v, 0.95));
    assertThat(number(latency, "p99")).isEqualTo(nearestRank(v2v, 0.99));
    // for this data: 300 400 500 600 700 800 900
    assertThat(List.of(number(latency, "p50"), number(latency, "p95"))).containsExactly(600L, 900L);

    // the same outcomes as meters
    assertThat(meters.counter("voicecall.calls.ended", "outcome", "answered").count())
        .isEqualTo(answeredBefore + answeredCalls);
    assertThat(TestDatabases.prometheus(http))
        .contains("voicecall_calls_ended_total{")
        .contains("voicecall_calls_records_buffered")
        .contains("voicecall_calls_records_dropped_total{")
        .contains("voicecall_calls_containment");
  }

  @Test
  void anEmptyRangeHasNoRatesAndNoLatency() {
    Map<String, Object> stats =
        get("/api/v1/stats", Map.of("from", "1999-01-01T00:00:00Z", "to", "1999-01-02T00:00:00Z"));
    assertThat(number(stats, "calls")).isZero();
    assertThat(stats).containsEntry("containmentRate", null).containsEntry("answerRate", null);
    assertThat(stats.get("voiceToVoiceMs"))
        .isEqualTo(mapOf("turns", 0, "p50", null, "p95", null, "p99", null));
  }

  @Test
  void anUnknownCallIsNotFound() {
    http.get()
        .uri("/api/v1/calls/{id}", "no-such-call")
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.detail")
        .isEqualTo("no call with id 'no-such-call'");
  }

  @Test
  void badParametersAreProblemDetailsNamingTheParameter() {
    badRequest("/api/v1/calls?page=-1", "page must be >= 0");
    badRequest("/api/v1/calls?size=201", "size between 1 and 200");
    badRequest("/api/v1/calls?from=yesterday", "from must be an ISO-8601 instant");
    badRequest("/api/v1/calls?outcome=happy", "unknown outcome 'happy'");
    badRequest(
        "/api/v1/stats?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z",
        "from must be before to");
    badRequest("/api/v1/unanswered?similarity=1.5", "similarity must be above 0");
    badRequest("/api/v1/unanswered?limit=0", "limit must be 1 to");
  }

  private void badRequest(String uri, String detail) {
    http.get()
        .uri(uri)
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.title")
        .isEqualTo("Bad request")
        .jsonPath("$.detail")
        .value(String.class, d -> assertThat(d).contains(detail));
  }

  private static Map<String, @Nullable Object> mapOf(@Nullable Object... kv) {
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(String.valueOf(kv[i]), kv[i + 1]);
    }
    return m;
  }

  private static long nearestRank(List<Long> sorted, double q) {
    return sorted.get(Math.max(0, (int) Math.ceil(q * sorted.size()) - 1));
  }

  private static Map<String, Integer> toInts(Map<String, Long> m) {
    Map<String, Integer> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k, v.intValue()));
    return out;
  }

  private static Placed byId(List<Placed> placed, String id) {
    return placed.stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow();
  }

  private static Map<String, String> with(Map<String, String> base, String... kv) {
    Map<String, String> m = new LinkedHashMap<>(base);
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  private Map<String, Object> list(Map<String, String> params) {
    return get("/api/v1/calls", params);
  }

  private Map<String, Object> get(String path) {
    return get(path, Map.of());
  }

  private Map<String, Object> get(String path, Map<String, String> params) {
    return Objects.requireNonNull(
        http.get()
            .uri(
                b -> {
                  b.path(path);
                  params.forEach(b::queryParam);
                  return b.build();
                })
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(MAP)
            .returnResult()
            .getResponseBody());
  }

  private static String str(Map<String, Object> m, String key) {
    return (String) Objects.requireNonNull(m.get(key), key);
  }

  private static long total(Map<String, Object> page) {
    return number(page, "total");
  }

  private static long number(Map<String, Object> m, String key) {
    return ((Number) Objects.requireNonNull(m.get(key), key)).longValue();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Map<String, Object> m, String key) {
    return (List<Map<String, Object>>) Objects.requireNonNull(m.get(key), key);
  }

  private static List<Map<String, Object>> items(Map<String, Object> page) {
    return list(page, "items");
  }

  private static List<String> ids(Map<String, Object> page) {
    return items(page).stream().map(c -> str(c, "id")).toList();
  }
}
