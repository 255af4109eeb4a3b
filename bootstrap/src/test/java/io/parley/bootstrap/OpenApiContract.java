package io.parley.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The OpenAPI document as a checker of real answers: {@link #check} finds the operation a request was sent to,
 * requires the answer's status to be one the operation documents, and validates a JSON body against that
 * status's schema (JSON Schema 2020-12, the OpenAPI 3.1 dialect). It remembers which operations answered with
 * a success, so a test can require every documented operation to have been exercised.
 */
final class OpenApiContract {
    private static final String BASE = "https://parley.test/openapi.json";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final JsonNode document;
    private final SchemaRegistry registry;
    private final Map<String, Pattern> templates = new TreeMap<>();
    private final Set<String> exercised = new TreeSet<>();
    private final List<String> failures = new ArrayList<>();

    private OpenApiContract(JsonNode document) {
        this.document = document;
        String json = document.toString();
        this.registry = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi31(),
                builder -> builder.schemas(Map.of(BASE, json)));
        for (Iterator<String> paths = document.get("paths").fieldNames(); paths.hasNext(); ) {
            String template = paths.next();
            templates.put(template, Pattern.compile(
                    Pattern.quote(template).replaceAll("\\{[a-z_]+}", "\\\\E[^/]+\\\\Q")));
        }
    }

    /**
     * @param yaml the document's text
     * @return a checker for it
     */
    static OpenApiContract of(String yaml) {
        try {
            return new OpenApiContract(YAML.readTree(yaml));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return every operation of the document, as "METHOD template" */
    Set<String> operations() {
        Set<String> all = new TreeSet<>();
        document.get("paths").properties().forEach(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            if (!method.equals("parameters")) {
                all.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
            }
        }));
        return all;
    }

    /** @return the operations that answered a request of the test with a 2xx */
    Set<String> exercised() {
        return exercised;
    }

    /** @return what did not match the document, one line each */
    List<String> failures() {
        return failures;
    }

    /**
     * Checks an answer with a body against the document.
     *
     * @param method   the request's method
     * @param response the answer
     * @return the answer, for chaining
     */
    HttpResponse<String> check(String method, HttpResponse<String> response) {
        check(method, response.uri(), response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(""), response.body(),
                response.headers().firstValue("Location").isPresent());
        return response;
    }

    /**
     * Checks an answer against the document.
     *
     * @param method      the request's method
     * @param uri         the request's URI
     * @param status      the answer's status
     * @param contentType its content type
     * @param body        its body ({@code null} when not read)
     * @param hasLocation whether it carries a {@code Location} header
     */
    void check(String method, URI uri, int status, String contentType, String body, boolean hasLocation) {
        String call = method + " " + uri.getRawPath() + " -> " + status;
        String template = templates.entrySet().stream().filter(t -> t.getValue().matcher(uri.getRawPath()).matches())
                .map(Map.Entry::getKey).findFirst().orElse(null);
        if (template == null) {
            failures.add(call + ": no such path in the document");
            return;
        }
        String operationPointer = "/paths/" + escape(template) + "/" + method.toLowerCase(Locale.ROOT);
        JsonNode operation = document.at(operationPointer);
        if (operation.isMissingNode()) {
            failures.add(call + ": no " + method + " on " + template + " in the document");
            return;
        }
        String responsePointer = operationPointer + "/responses/" + status;
        JsonNode documented = document.at(responsePointer);
        if (documented.isMissingNode()) {
            failures.add(call + ": status " + status + " is not documented for " + method + " " + template);
            return;
        }
        if (documented.has("$ref")) {
            responsePointer = documented.get("$ref").asText().substring(1);
            documented = document.at(responsePointer);
        }
        if (status / 100 == 2) {
            exercised.add(method + " " + template);
        }
        if (documented.path("headers").has("Location") && !hasLocation) {
            failures.add(call + ": no Location header, documented");
        }
        JsonNode content = documented.path("content");
        if (content.isMissingNode()) {
            if (body != null && !body.isEmpty()) {
                failures.add(call + ": a body where none is documented: " + body);
            }
            return;
        }
        String mediaType = contentType.split(";")[0].strip();
        if (!content.has(mediaType)) {
            failures.add(call + ": content type " + contentType + ", documented " + content.properties().stream()
                    .map(Map.Entry::getKey).toList());
            return;
        }
        if (mediaType.equals("application/json") && body != null) {
            validate(responsePointer + "/content/" + escape(mediaType) + "/schema", Json.parse(body), call);
        }
    }

    /**
     * Validates a JSON value against a schema of the document.
     *
     * @param pointer the schema's JSON pointer in the document, e.g. {@code /components/schemas/ServerEvent}
     * @param value   the value
     * @param what    what it is, for the failure's line
     */
    void validate(String pointer, JsonNode value, String what) {
        Schema schema = registry.getSchema(SchemaLocation.of(BASE + "#" + pointer));
        List<Error> errors = schema.validate(value);
        if (!errors.isEmpty()) {
            failures.add(what + ": " + errors.stream().map(Error::toString).toList() + " in " + value);
        }
    }

    private static String escape(String segment) {
        return segment.replace("~", "~0").replace("/", "~1");
    }
}
