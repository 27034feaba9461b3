package voicecall.app.calls;

import org.springframework.http.HttpStatus;

/** A request to the call endpoints that cannot be served: bad parameters, or an unknown call. */
final class CallsRequestException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final HttpStatus status;
  private final String title;

  private CallsRequestException(HttpStatus status, String title, String detail) {
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

  static CallsRequestException notFound(String detail) {
    return new CallsRequestException(HttpStatus.NOT_FOUND, "Not found", detail);
  }

  static CallsRequestException badRequest(String detail) {
    return new CallsRequestException(HttpStatus.BAD_REQUEST, "Bad request", detail);
  }
}
