package dev.outbox.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * The console's one page. It may not be framed by another site (its buttons replay and purge) and
 * runs only the console's own scripts.
 */
@Controller
@RequestMapping(ConsolePaths.PROPERTY)
class ConsolePage {

  static final String POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self'"
          + " data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'";

  /** Its relative links need the trailing slash. */
  @GetMapping("")
  ResponseEntity<Void> withSlash(HttpServletRequest request) {
    return ResponseEntity.status(302).location(URI.create(request.getRequestURI() + "/")).build();
  }

  @GetMapping("/")
  ResponseEntity<Resource> page(HttpServletRequest request, HttpServletResponse response) {
    CsrfGuard.issue(request, response);
    return ResponseEntity.ok()
        .contentType(MediaType.TEXT_HTML)
        .cacheControl(CacheControl.noStore())
        .header("Content-Security-Policy", POLICY)
        .header("X-Content-Type-Options", "nosniff")
        .header("Referrer-Policy", "same-origin")
        .body(new ClassPathResource("dev/outbox/console/assets/index.html"));
  }
}
