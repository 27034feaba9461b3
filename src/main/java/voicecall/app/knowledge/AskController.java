package voicecall.app.knowledge;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import voicecall.rag.KnowledgeIndex;

/**
 * {@code POST /api/v1/ask}: the same decision a call gets for the same words. Retrieval is an
 * in-heap search of well under a millisecond, so it runs on the request's thread.
 */
@RestController
class AskController {

  private final KnowledgeIndex index;
  private final UploadReader reader;

  AskController(KnowledgeIndex index, UploadReader reader) {
    this.index = index;
    this.reader = reader;
  }

  @PostMapping("/api/v1/ask")
  Mono<AskReply> ask(ServerHttpRequest request) {
    return reader
        .readJson(request)
        .map(
            body -> {
              JsonNode text = body.get("text");
              if (text == null || !text.isString() || text.asString().isBlank()) {
                throw KnowledgeRequestException.badRequest("'text' is required: what was asked");
              }
              if (text.asString().length() > KnowledgeIndex.MAX_QUESTION_CHARS) {
                throw KnowledgeRequestException.badRequest(
                    "'text' is longer than " + KnowledgeIndex.MAX_QUESTION_CHARS + " characters");
              }
              JsonNode lang = body.get("lang");
              if (lang != null && !lang.isNull() && !lang.isString()) {
                throw KnowledgeRequestException.badRequest("'lang' must be \"ko\" or \"en\"");
              }
              return AskReply.of(
                  index.ask(
                      text.asString(),
                      KnowledgeController.language(
                          lang == null || lang.isNull() ? null : lang.asString())));
            });
  }
}
