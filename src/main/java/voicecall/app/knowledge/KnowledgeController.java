package voicecall.app.knowledge;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import voicecall.rag.Entry;
import voicecall.rag.Language;

/**
 * Admin API of the knowledge base. Everything under {@code /api/v1/knowledge} changes or reveals
 * the FAQ, so a security filter can guard the whole prefix. Thin: reads the request, delegates to
 * {@link KnowledgeService}, and shapes the response; errors become problem details in {@link
 * KnowledgeProblems}.
 */
@RestController
@RequestMapping("/api/v1/knowledge")
class KnowledgeController {

  private static final int MAX_PAGE_SIZE = 200;

  private final KnowledgeService knowledge;
  private final UploadReader reader;

  KnowledgeController(KnowledgeService knowledge, UploadReader reader) {
    this.knowledge = knowledge;
    this.reader = reader;
  }

  /** Replaces the whole knowledge base from a JSON array or a CSV file. */
  @PutMapping
  Mono<KnowledgeService.Result> replace(ServerHttpRequest request) {
    return reader.readAll(request).flatMap(drafts -> knowledge.replace(drafts, "upload"));
  }

  /** Adds one entry. */
  @PostMapping("/entries")
  @ResponseStatus(HttpStatus.CREATED)
  Mono<KnowledgeService.Result> add(ServerHttpRequest request) {
    return reader.readOne(request).flatMap(knowledge::add);
  }

  /** Lists the active version's entries, filtered and paged. */
  @GetMapping("/entries")
  Mono<PageView> list(
      @RequestParam(required = false) @Nullable String lang,
      @RequestParam(required = false) @Nullable String tag,
      @RequestParam(required = false) @Nullable String text,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "20") int size) {
    return Mono.fromSupplier(
        () -> {
          if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            throw KnowledgeRequestException.badRequest(
                "page must be >= 0 and size between 1 and " + MAX_PAGE_SIZE);
          }
          return PageView.of(knowledge.entries(language(lang), tag, text, page, size));
        });
  }

  /** One entry of the active version. */
  @GetMapping("/entries/{id}")
  Mono<EntryView> get(@PathVariable String id) {
    return Mono.fromSupplier(
        () ->
            knowledge
                .index()
                .current()
                .entry(id)
                .map(EntryView::of)
                .orElseThrow(
                    () -> KnowledgeRequestException.notFound("no entry with id '" + id + "'")));
  }

  /** Creates or replaces one entry. */
  @PutMapping("/entries/{id}")
  Mono<KnowledgeService.Result> put(@PathVariable String id, ServerHttpRequest request) {
    return reader.readOne(request).flatMap(draft -> knowledge.put(id, draft));
  }

  /** Removes one entry. */
  @DeleteMapping("/entries/{id}")
  Mono<KnowledgeService.Result> delete(@PathVariable String id) {
    return knowledge.delete(id);
  }

  /** Every stored version, newest first. */
  @GetMapping("/versions")
  Mono<List<KnowledgeVersion>> versions() {
    return knowledge.versions();
  }

  /** Makes a stored version the active one (rollback). */
  @PostMapping("/versions/{version}/activate")
  Mono<KnowledgeService.Result> activate(@PathVariable int version) {
    return knowledge.activate(version);
  }

  static @Nullable Language language(@Nullable String code) {
    if (code == null || code.isBlank()) {
      return null;
    }
    return Language.fromCode(code)
        .orElseThrow(
            () ->
                KnowledgeRequestException.badRequest(
                    "unknown language '" + code + "' (use ko or en)"));
  }

  /** An entry as the API shows it: the language as its code. */
  record EntryView(
      String id, List<String> questions, String answer, List<String> tags, String lang) {
    static EntryView of(Entry e) {
      return new EntryView(e.id(), e.questions(), e.answer(), e.tags(), e.language().code());
    }
  }

  /** A page of entries of the active version. */
  record PageView(int page, int size, long total, long version, List<EntryView> items) {
    static PageView of(KnowledgeService.Page p) {
      return new PageView(
          p.page(),
          p.size(),
          p.total(),
          p.version(),
          p.items().stream().map(EntryView::of).toList());
    }
  }
}
