package voicecall.app.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import voicecall.app.TestDatabases;
import voicecall.app.ThreadDumpOnTimeout;
import voicecall.app.VoiceCallApplication;
import voicecall.rag.Entry;
import voicecall.rag.KnowledgeIndex;
import voicecall.rag.Language;

/**
 * The knowledge API end to end on a real database: upload, ask, update, roll back, restart, every
 * kind of bad input, and questions racing a swap. Each subclass points it at one database. The
 * tests do not assume an empty database: they compare against the state they find.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "voicecall.knowledge.max-upload-size=64KB")
@ExtendWith(ThreadDumpOnTimeout.class)
abstract class KnowledgeApiContractIT {

  private static final ParameterizedTypeReference<Map<String, Object>> MAP =
      new ParameterizedTypeReference<>() {};

  static final String FAQ_CSV =
      "\uFEFFid,question,answer,tags,lang\r\n"
          + "plan,How do I change my plan? | Can I switch plans?,\"V1: Change your plan in the"
          + " app, under My Plan.\",\"plan,billing\",en\r\n"
          + "hours,When are your stores open?,V1: Stores open from nine to eight.,store,en\r\n"
          + "ko-plan,요금제를 변경하고 싶어요 | 요금제 바꾸는 방법,V1: 요금제는 앱에서 바꾸실 수 있습니다.,요금제,\r\n"
          + "ko-hours,매장 영업시간이 어떻게 되나요?,V1: 매장은 오전 9시부터 엽니다.,매장,ko\r\n";

  @LocalServerPort int port;
  @Autowired KnowledgeIndex index;
  @Autowired Environment environment;
  @Autowired DatabaseClient db;
  @Autowired ReactiveTransactionManager txManager;

  WebTestClient http;

  @BeforeEach
  void client() {
    http = TestDatabases.http(port);
  }

  @Test
  void uploadAskUpdateAndRollBack() {
    Map<String, Object> v1 = putCsv(FAQ_CSV);
    int first = number(v1, "version");
    assertThat(v1.get("entries")).isEqualTo(4);
    assertThat(v1.get("byLanguage")).isEqualTo(Map.of("en", 2, "ko", 2));

    assertThat(ask("how can I switch my plan", null))
        .containsEntry("decision", "ANSWER")
        .containsEntry("entryId", "plan")
        .containsEntry("version", first);
    assertThat(ask("요금제 바꾸려면요", null))
        .containsEntry("decision", "ANSWER")
        .containsEntry("entryId", "ko-plan");
    assertThat(ask("what's the weather tomorrow", "en")).containsEntry("decision", "NONE");
    assertThat(ask("상담원 연결해 주세요", null)).containsEntry("decision", "HUMAN");

    Map<String, Object> v2 =
        ok(
            http.put()
                .uri("/api/v1/knowledge/entries/plan")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(
                    Map.of(
                        "questions", List.of("How do I change my plan?"),
                        "answer", "V2: Plans now change in the new portal.",
                        "lang", "en")));
    assertThat(v2).containsEntry("version", first + 1).containsEntry("entries", 4);
    assertThat(ask("how do I change my plan", null))
        .containsEntry("answer", "V2: Plans now change in the new portal.");

    http.post()
        .uri("/api/v1/knowledge/versions/{n}/activate", first)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.version")
        .isEqualTo(first);
    assertThat(ask("how do I change my plan", null))
        .containsEntry("answer", "V1: Change your plan in the app, under My Plan.")
        .containsEntry("version", first);
    http.get()
        .uri("/api/v1/knowledge/versions")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$[0].version")
        .isEqualTo(first + 1)
        .jsonPath("$[?(@.version == " + first + ")].active")
        .isEqualTo(true)
        .jsonPath("$[?(@.version == " + (first + 1) + ")].active")
        .isEqualTo(false);
    http.post()
        .uri("/api/v1/knowledge/versions/{n}/activate", 999_999)
        .exchange()
        .expectStatus()
        .isNotFound();
  }

  @Test
  void entriesCanBeAddedListedFilteredReadAndDeleted() {
    http.put()
        .uri("/api/v1/knowledge")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(
            List.of(
                Map.of(
                    "id",
                    "a",
                    "questions",
                    List.of("Where is my parcel?"),
                    "answer",
                    "Tracking is in the app.",
                    "tags",
                    List.of("delivery")),
                Map.of(
                    "id",
                    "b",
                    "question",
                    "Do you ship abroad? | International shipping",
                    "answer",
                    "We ship to forty countries.",
                    "tags",
                    "delivery,abroad")))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.byLanguage.en")
        .isEqualTo(2);
    http.post()
        .uri("/api/v1/knowledge/entries")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(
            Map.of(
                "id",
                "c",
                "questions",
                List.of("배송은 얼마나 걸려요?"),
                "answer",
                "이틀 걸립니다.",
                "tags",
                List.of("delivery")))
        .exchange()
        .expectStatus()
        .isCreated()
        .expectBody()
        .jsonPath("$.entries")
        .isEqualTo(3);
    http.post()
        .uri("/api/v1/knowledge/entries")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("id", "c", "questions", List.of("again"), "answer", "x"))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("id");

    http.get()
        .uri("/api/v1/knowledge/entries?tag=delivery&size=2&page=0")
        .exchange()
        .expectBody()
        .jsonPath("$.total")
        .isEqualTo(3)
        .jsonPath("$.items.length()")
        .isEqualTo(2);
    http.get()
        .uri("/api/v1/knowledge/entries?tag=delivery&size=2&page=1")
        .exchange()
        .expectBody()
        .jsonPath("$.items.length()")
        .isEqualTo(1);
    http.get()
        .uri("/api/v1/knowledge/entries?lang=ko")
        .exchange()
        .expectBody()
        .jsonPath("$.items[0].id")
        .isEqualTo("c")
        .jsonPath("$.items[0].lang")
        .isEqualTo("ko");
    http.get()
        .uri("/api/v1/knowledge/entries?text=FORTY")
        .exchange()
        .expectBody()
        .jsonPath("$.total")
        .isEqualTo(1)
        .jsonPath("$.items[0].questions[1]")
        .isEqualTo("International shipping");
    http.get().uri("/api/v1/knowledge/entries?size=0").exchange().expectStatus().isBadRequest();
    http.get().uri("/api/v1/knowledge/entries?lang=fr").exchange().expectStatus().isBadRequest();

    http.get()
        .uri("/api/v1/knowledge/entries/b")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.tags")
        .isEqualTo(List.of("delivery", "abroad"));
    http.delete().uri("/api/v1/knowledge/entries/b").exchange().expectStatus().isOk();
    http.get().uri("/api/v1/knowledge/entries/b").exchange().expectStatus().isNotFound();
    http.delete().uri("/api/v1/knowledge/entries/b").exchange().expectStatus().isNotFound();
  }

  @Test
  void everyBadUploadIsRejectedWithAllItsRowsAndChangesNothing() {
    putCsv(FAQ_CSV);
    long versionBefore = index.current().version();
    Map<String, Object> answerBefore = ask("how do I change my plan", null);
    int versionsBefore = versionCount();

    // Malformed CSV: an unclosed quote.
    rejectCsv("id,question,answer\nx,\"never closed,answer\n", HttpStatus.BAD_REQUEST, 2);
    // Missing required column.
    rejectCsv("id,question\nx,Why?\n", HttpStatus.BAD_REQUEST, 1);
    // Empty columns, duplicate id, unknown language, answer too long, wrong field count: all rows.
    String bad =
        "id,question,answer,tags,lang\n"
            + "ok,Fine question?,Fine answer.,,en\n"
            + ",Where?,,,en\n"
            + "ok,Again?,Again.,,en\n"
            + "fr,Bonjour?,Oui.,,fr\n"
            + "long,Long?,"
            + "x".repeat(601)
            + ",,en\n";
    Map<String, Object> problem = reject("text/csv", bad, HttpStatus.BAD_REQUEST);
    assertThat(rows(problem)).containsExactly(3, 3, 4, 5, 6);
    assertThat(String.valueOf(problem.get("errors")))
        .contains(
            "id is missing",
            "answer is missing",
            "duplicate id 'ok'",
            "unknown language 'fr'",
            "too long to speak");
    rejectCsv("id,question,answer\na,b\n", HttpStatus.BAD_REQUEST, 2);

    // Malformed JSON, wrong JSON shape, JSON rows with wrong types.
    Map<String, Object> json =
        reject("application/json", "[{\"id\": \"x\",", HttpStatus.BAD_REQUEST);
    assertThat(String.valueOf(json.get("errors"))).contains("malformed JSON");
    reject("application/json", "{\"id\":\"x\"}", HttpStatus.BAD_REQUEST);
    Map<String, Object> types =
        reject(
            "application/json",
            "[{\"id\":\"a\",\"questions\":\"q\",\"answer\":\"A\"},{\"id\":5,\"questions\":[\"q\"],\"answer\":\"A\"}]",
            HttpStatus.BAD_REQUEST);
    assertThat(rows(types)).containsExactly(1, 2);

    // Not UTF-8, over the size limit (declared and streamed), wrong content type.
    http.put()
        .uri("/api/v1/knowledge")
        .contentType(MediaType.parseMediaType("text/csv"))
        .bodyValue(new byte[] {'i', 'd', (byte) 0xC3, (byte) 0x28})
        .exchange()
        .expectStatus()
        .isBadRequest();
    reject(
        "text/csv",
        "id,question,answer\n" + "a,b,c\n".repeat(12_000),
        HttpStatus.CONTENT_TOO_LARGE);
    http.put()
        .uri("/api/v1/knowledge")
        .contentType(MediaType.parseMediaType("text/csv"))
        .body(
            Flux.range(0, 9_000).map(i -> ("r" + i + ",q,a\n").getBytes(StandardCharsets.UTF_8)),
            byte[].class)
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    reject("text/plain", "id,question,answer\na,b,c\n", HttpStatus.UNSUPPORTED_MEDIA_TYPE);
    reject("application/xml", "<a/>", HttpStatus.UNSUPPORTED_MEDIA_TYPE);

    assertThat(index.current().version()).isEqualTo(versionBefore);
    assertThat(ask("how do I change my plan", null)).isEqualTo(answerBefore);
    assertThat(versionCount()).isEqualTo(versionsBefore);
  }

  @Test
  void badQuestionsAreRejected() {
    http.post()
        .uri("/api/v1/ask")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("lang", "en"))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    http.post()
        .uri("/api/v1/ask")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("text", "hello", "lang", "de"))
        .exchange()
        .expectStatus()
        .isBadRequest();
    http.post()
        .uri("/api/v1/ask")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("text", "x".repeat(70_000)))
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.CONTENT_TOO_LARGE);
    http.post()
        .uri("/api/v1/ask")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("text", "x".repeat(1001)))
        .exchange()
        .expectStatus()
        .isBadRequest();
    http.post()
        .uri("/api/v1/ask")
        .contentType(MediaType.TEXT_PLAIN)
        .bodyValue("hello")
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
  }

  @Test
  void aRestartLoadsTheActiveVersion() {
    putCsv(FAQ_CSV);
    long active = index.current().version();
    try (ConfigurableApplicationContext restarted =
        new SpringApplicationBuilder(VoiceCallApplication.class)
            .run(
                "--server.port=0",
                "--spring.r2dbc.url=" + environment.getRequiredProperty("spring.r2dbc.url"),
                "--spring.r2dbc.username=" + environment.getProperty("spring.r2dbc.username", ""),
                "--spring.r2dbc.password="
                    + environment.getProperty("spring.r2dbc.password", ""))) {
      KnowledgeIndex loaded = restarted.getBean(KnowledgeIndex.class);
      assertThat(loaded.current().version()).isEqualTo(active);
      assertThat(loaded.current().entries()).isEqualTo(index.current().entries());
    }
  }

  @Test
  void questionsDuringSwapsAlwaysSeeOneWholeVersion() {
    String v1 = FAQ_CSV;
    String v2 = FAQ_CSV.replace("V1: ", "V2: ");
    int a = number(putCsv(v1), "version");
    WebClient client = WebClient.create("http://127.0.0.1:" + port);
    AtomicBoolean swapping = new AtomicBoolean(true);
    Mono<List<Map<String, Object>>> asks =
        Flux.range(0, 400)
            .flatMap(
                i ->
                    client
                        .post()
                        .uri("/api/v1/ask")
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(
                            Map.of("text", i % 2 == 0 ? "how can I switch plans" : "요금제 바꾸려면요"))
                        .retrieve()
                        .bodyToMono(MAP),
                8)
            .collectList();
    Mono<List<Integer>> swaps =
        Flux.range(0, 6)
            .concatMap(
                i ->
                    client
                        .put()
                        .uri("/api/v1/knowledge")
                        .contentType(MediaType.parseMediaType("text/csv"))
                        .bodyValue(i % 2 == 0 ? v2 : v1)
                        .retrieve()
                        .bodyToMono(MAP)
                        .map(r -> (Integer) r.get("version")))
            .collectList()
            .doFinally(s -> swapping.set(false));
    var results = nonNull(Mono.zip(asks, swaps).block(Duration.ofSeconds(60)));
    List<Integer> versions = results.getT2();
    assertThat(versions).hasSize(6);
    for (Map<String, Object> reply : results.getT1()) {
      int version = number(reply, "version");
      assertThat(reply.get("decision")).isEqualTo("ANSWER");
      // Versions a, a+2, a+4, a+6 carry V1 answers, a+1, a+3, a+5 carry V2 answers.
      String expectedPrefix = (version - a) % 2 == 0 ? "V1: " : "V2: ";
      assertThat((String) reply.get("answer")).as("reply %s", reply).startsWith(expectedPrefix);
    }
  }

  @Test
  void aStoreFailureHalfWayThroughAnUploadLeavesNothingBehind() {
    putCsv(FAQ_CSV);
    int versionsBefore = versionCount();
    long active = index.current().version();
    KnowledgeStore store = new KnowledgeStore(db, TransactionalOperator.create(txManager));
    int next = nonNull(store.nextVersion().block(Duration.ofSeconds(10)));
    // The model never lets a duplicate id through; here the store gets one, in its second INSERT
    // batch, so the database fails after the version row and the first 100 entries were written.
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      entries.add(
          new Entry(
              i == 120 ? "e0" : "e" + i, List.of("Q" + i + "?"), "A.", List.of(), Language.EN));
    }
    Mono<Void> save = store.saveActive(next, "upload", "half-way failure", entries);
    assertThatThrownBy(() -> save.block(Duration.ofSeconds(30))).isNotNull();
    assertThat(versionCount()).isEqualTo(versionsBefore);
    assertThat(
            db.sql("SELECT COUNT(*) AS n FROM kb_entry WHERE version = :v")
                .bind("v", next)
                .map(row -> row.get("n", Long.class))
                .one()
                .block(Duration.ofSeconds(10)))
        .isZero();
    assertThat(store.activeVersion().block(Duration.ofSeconds(10))).isEqualTo((int) active);
  }

  Map<String, Object> putCsv(String csv) {
    return ok(
        http.put()
            .uri("/api/v1/knowledge")
            .contentType(MediaType.parseMediaType("text/csv; charset=UTF-8"))
            .bodyValue(csv.getBytes(StandardCharsets.UTF_8)));
  }

  /** Sends a request that must succeed and returns its JSON object body. */
  static Map<String, Object> ok(WebTestClient.RequestHeadersSpec<?> request) {
    return nonNull(
        request.exchange().expectStatus().isOk().expectBody(MAP).returnResult().getResponseBody());
  }

  List<Map<String, Object>> versions() {
    return nonNull(
        http.get()
            .uri("/api/v1/knowledge/versions")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() {})
            .returnResult()
            .getResponseBody());
  }

  Map<String, Object> ask(String text, @Nullable String lang) {
    Map<String, Object> request =
        lang == null ? Map.of("text", text) : Map.of("text", text, "lang", lang);
    return ok(
        http.post().uri("/api/v1/ask").contentType(MediaType.APPLICATION_JSON).bodyValue(request));
  }

  private void rejectCsv(String csv, HttpStatus status, int row) {
    assertThat(rows(reject("text/csv", csv, status))).contains(row);
  }

  private Map<String, Object> reject(String contentType, String body, HttpStatus status) {
    Map<String, Object> problem =
        http.put()
            .uri("/api/v1/knowledge")
            .contentType(MediaType.parseMediaType(contentType))
            .bodyValue(body.getBytes(StandardCharsets.UTF_8))
            .exchange()
            .expectStatus()
            .isEqualTo(status)
            .expectHeader()
            .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody(MAP)
            .returnResult()
            .getResponseBody();
    assertThat(nonNull(problem)).containsEntry("status", status.value());
    return nonNull(problem);
  }

  @SuppressWarnings("unchecked")
  private static List<Integer> rows(Map<String, Object> problem) {
    return ((List<Map<String, Object>>) nonNull(problem.get("errors")))
        .stream().map(e -> number(e, "row")).toList();
  }

  private int versionCount() {
    return versions().size();
  }

  static <T> T nonNull(@Nullable T value) {
    assertThat(value).isNotNull();
    return Objects.requireNonNull(value);
  }

  static int number(Map<String, Object> map, String key) {
    return ((Number) nonNull(map.get(key))).intValue();
  }
}
