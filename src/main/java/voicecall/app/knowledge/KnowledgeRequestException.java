package voicecall.app.knowledge;

import org.springframework.http.HttpStatus;

/** A knowledge request that is wrong as a whole: too large, wrong type, unreadable, not found. */
final class KnowledgeRequestException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final HttpStatus status;
  private final String title;

  KnowledgeRequestException(HttpStatus status, String title, String detail) {
    super(detail);
    this.status = status;
    this.title = title;
  }

  HttpStatus status() {
    return status;
  }

  String title() {
    return title;
  }

  static KnowledgeRequestException notFound(String detail) {
    return new KnowledgeRequestException(HttpStatus.NOT_FOUND, "Not found", detail);
  }

  static KnowledgeRequestException badRequest(String detail) {
    return new KnowledgeRequestException(HttpStatus.BAD_REQUEST, "Bad request", detail);
  }
}
