package org.uso4j.app.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.uso4j.pipeline.generate.GenerationRequest;
import org.uso4j.pipeline.image.ImageDecoder;
import org.uso4j.pipeline.image.RgbImage;
import org.uso4j.pipeline.sampling.PositionEmbedding;

/**
 * Turns the body of {@code POST /v1/jobs} (JSON with base64 images, or multipart with image files) into a
 * validated {@link GenerationRequest}. Every refusal is an {@link ApiException} naming the field; the range checks
 * are GenerationRequest's own (its messages start with the field name).
 */
final class JobRequestReader {
    static final int MAX_PROMPT_CHARS = 20_000;
    private static final Set<String> FIELDS = Set.of("prompt", "content_images", "style_images", "width", "height", "num_steps",
            "guidance", "seed", "pe", "lora_weight", "content_ref", "posterior", "posterior_seed");
    private static final Set<String> FILE_FIELDS = Set.of("content_image", "style_image", "content_images", "style_images");
    private static final ObjectMapper STRICT = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final ServerSettings settings;
    private final ImageDecoder decoder;

    JobRequestReader(ServerSettings settings) {
        this.settings = settings;
        this.decoder = new ImageDecoder(settings.maxImagePixels());
    }

    GenerationRequest read(Context ctx) {
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(java.util.Locale.ROOT);
        if (type.startsWith("multipart/form-data")) return fromMultipart(ctx);
        if (type.isEmpty() || type.startsWith("application/json")) return fromJson(body(ctx));
        throw new ApiException(415, "Content-Type", "Content-Type must be application/json or multipart/form-data, got '" + ctx.contentType() + "'");
    }

    /** The body, refusing more than the limit even when no Content-Length was sent. */
    private byte[] body(Context ctx) {
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, settings.maxBodyBytes() + 1));
            if (b.length > settings.maxBodyBytes()) throw tooLarge();
            return b;
        } catch (IOException e) {
            throw ApiException.badRequest("body", "cannot read the request body: " + e.getMessage());
        }
    }

    ApiException tooLarge() {
        return new ApiException(413, "body", "request body larger than " + settings.maxBodyBytes() + " bytes");
    }

    GenerationRequest fromJson(byte[] body) {
        JsonNode root;
        try {
            root = STRICT.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("body", "invalid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.badRequest("body", "cannot read JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) throw ApiException.badRequest("body", "the body must be a JSON object");
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) throw ApiException.badRequest(f, f + ": unknown field (known: " + String.join(", ", new java.util.TreeSet<>(FIELDS)) + ")");
        }
        JsonNode p = root.get("prompt");
        if (p == null || p.isNull()) throw ApiException.badRequest("prompt", "prompt: required (use \"\" for none)");
        if (!p.isTextual()) throw ApiException.badRequest("prompt", "prompt: must be a string, got " + kind(p));
        List<RgbImage> content = jsonImages(root, "content_images"), style = jsonImages(root, "style_images");
        return build(p.asText(), new Fields.OfJson(root), content, style);
    }

    private List<RgbImage> jsonImages(JsonNode root, String field) {
        JsonNode a = root.get(field);
        if (a == null || a.isNull()) return List.of();
        if (!a.isArray()) throw ApiException.badRequest(field, field + ": must be a list of base64-encoded image files, got " + kind(a));
        checkCount(field, a.size());
        List<RgbImage> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            String name = field + "[" + i + "]";
            JsonNode e = a.get(i);
            if (!e.isTextual()) throw ApiException.badRequest(name, name + ": must be a base64 string, got " + kind(e));
            out.add(ImageUpload.decode(base64(e.asText(), name), name, decoder));
        }
        return out;
    }

    private GenerationRequest fromMultipart(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > settings.maxBodyBytes()) throw tooLarge();
        java.util.Map<String, List<String>> form;
        java.util.Map<String, List<UploadedFile>> files;
        try {
            requireBoundary(ctx.contentType());
            form = ctx.formParamMap();
            files = ctx.uploadedFileMap();
        } catch (Exception e) { // Jetty's ServletException arrives undeclared through Javalin
            // the rest of the body is unread: this connection cannot carry another request
            ctx.header("Connection", "close");
            if (e instanceof ApiException a) throw a;
            String why = reasons(e);
            if (why.toLowerCase(java.util.Locale.ROOT).contains("size")) throw tooLarge();
            throw ApiException.badRequest("body", "invalid multipart body: " + why);
        }
        for (String f : files.keySet()) {
            if (!FILE_FIELDS.contains(f)) throw ApiException.badRequest(f, f + ": unexpected file field (use content_image or style_image)");
        }
        for (String f : form.keySet()) {
            if (!FIELDS.contains(f) && !FILE_FIELDS.contains(f)) throw ApiException.badRequest(f, f + ": unknown field");
        }
        List<String> prompt = form.get("prompt");
        if (prompt == null || prompt.isEmpty()) throw ApiException.badRequest("prompt", "prompt: required (send an empty field for none)");
        if (prompt.size() > 1) throw ApiException.badRequest("prompt", "prompt: given " + prompt.size() + " times");
        List<RgbImage> content = formImages(form, files, "content_image", "content_images");
        List<RgbImage> style = formImages(form, files, "style_image", "style_images");
        return build(prompt.get(0), new Fields.OfForm(form), content, style);
    }

    /** A multipart Content-Type must name its boundary ({@code multipart/form-data; boundary=...}, RFC 7578). */
    private static void requireBoundary(String contentType) {
        for (String param : contentType.split(";")) {
            String p = param.trim();
            if (p.regionMatches(true, 0, "boundary=", 0, 9)) {
                String b = p.substring(9).replace("\"", "");
                if (!b.isEmpty() && b.length() <= 70) return;
            }
        }
        throw ApiException.badRequest("Content-Type", "multipart/form-data needs a boundary of 1-70 characters "
                + "(Content-Type: multipart/form-data; boundary=...), got '" + contentType + "'");
    }

    /** The distinct messages down an exception's cause chain, outermost first ("bad multipart (unexpected EOF in CONTENT)"). */
    private static String reasons(Throwable e) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = e; t != null && parts.size() < 4; t = t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage().replaceFirst("^[a-zA-Z0-9_.]+(Exception|Error): ", "").replaceFirst("^400: ", "");
            if (!m.isBlank() && parts.stream().noneMatch(x -> x.contains(m))) parts.add(m);
        }
        if (parts.isEmpty()) return e.getClass().getSimpleName();
        return parts.size() == 1 ? parts.get(0) : parts.get(0) + " (" + String.join("; ", parts.subList(1, parts.size())) + ")";
    }

    /** Files under {@code fileField} (or the JSON name), then base64 text values under the JSON name. */
    private List<RgbImage> formImages(java.util.Map<String, List<String>> form, java.util.Map<String, List<UploadedFile>> files,
                                      String fileField, String listField) {
        List<UploadedFile> up = new ArrayList<>(files.getOrDefault(fileField, List.of()));
        up.addAll(files.getOrDefault(listField, List.of()));
        up.removeIf(f -> f.size() == 0 && (f.filename() == null || f.filename().isEmpty()));
        List<String> b64 = form.getOrDefault(listField, List.of());
        checkCount(fileField, up.size() + b64.size());
        List<RgbImage> out = new ArrayList<>();
        for (int i = 0; i < up.size(); i++) {
            String name = fileField + "[" + i + "]";
            UploadedFile f = up.get(i);
            if (f.size() > settings.maxBodyBytes()) throw tooLarge();
            byte[] bytes;
            try (InputStream in = f.content()) {
                bytes = in.readAllBytes();
            } catch (IOException e) {
                throw ApiException.badRequest(name, name + ": cannot read the upload: " + e.getMessage());
            }
            out.add(ImageUpload.decode(bytes, name, decoder));
        }
        for (int i = 0; i < b64.size(); i++) {
            String name = listField + "[" + i + "]";
            out.add(ImageUpload.decode(base64(b64.get(i), name), name, decoder));
        }
        return out;
    }

    private void checkCount(String field, int n) {
        if (n > settings.maxImages()) throw ApiException.badRequest(field, field + ": at most " + settings.maxImages() + " images, got " + n);
    }

    /** Standard base64 (whitespace ignored), optionally as a {@code data:...;base64,} URL. */
    private static byte[] base64(String s, String field) {
        String t = s;
        if (t.startsWith("data:")) {
            int comma = t.indexOf(',');
            if (comma < 0 || !t.substring(0, comma).endsWith(";base64")) throw ApiException.badRequest(field, field + ": a data URL must be base64 (data:<type>;base64,...)");
            t = t.substring(comma + 1);
        }
        t = t.replaceAll("\\s+", "");
        try {
            return Base64.getDecoder().decode(t);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(field, field + ": not valid base64 (" + e.getMessage() + ")");
        }
    }

    private GenerationRequest build(String prompt, Fields f, List<RgbImage> content, List<RgbImage> style) {
        if (prompt.length() > MAX_PROMPT_CHARS) throw ApiException.badRequest("prompt", "prompt: at most " + MAX_PROMPT_CHARS + " characters, got " + prompt.length());
        GenerationRequest.Builder b = GenerationRequest.builder(prompt);
        content.forEach(b::content);
        style.forEach(b::style);
        int width = f.has("width") ? f.integer("width") : 1024, height = f.has("height") ? f.integer("height") : 1024;
        b.size(width, height);
        if (f.has("num_steps")) b.steps(f.integer("num_steps"));
        if (f.has("guidance")) b.guidance(f.number("guidance"));
        if (f.has("seed")) {
            try {
                b.seed(GenerationRequest.resolveSeed(f.integer64("seed")));  // -1: a random one, recorded in the settings
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("seed", e.getMessage());
            }
        }
        if (f.has("pe")) {
            String pe = f.text("pe");
            if (!pe.matches("(?i)[dhwo]")) throw ApiException.badRequest("pe", "pe: must be one of d, h, w, o; got '" + pe + "'");
            b.pe(PositionEmbedding.parse(pe));
        }
        if (f.has("lora_weight")) b.loraWeight(f.number("lora_weight"));
        if (f.has("content_ref")) b.contentLongSide(f.integer("content_ref"));
        if (f.has("posterior")) {
            String post = f.text("posterior");
            switch (post.toLowerCase(java.util.Locale.ROOT)) {
                case "sample" -> b.posterior(GenerationRequest.Posterior.SAMPLE);
                case "mean" -> b.posterior(GenerationRequest.Posterior.MEAN);
                default -> throw ApiException.badRequest("posterior", "posterior: must be sample or mean, got '" + post + "'");
            }
        }
        if (f.has("posterior_seed")) b.posteriorSeed(f.integer64("posterior_seed"));
        GenerationRequest req;
        try {
            req = b.build();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(field(e.getMessage(), width, height), e.getMessage());
        }
        long work = (long) req.effectiveWidth() * req.effectiveHeight() * req.numSteps();
        if (work > settings.maxPixelSteps()) {
            throw ApiException.badRequest("num_steps", "width × height × num_steps = " + req.effectiveWidth() + " × " + req.effectiveHeight()
                    + " × " + req.numSteps() + " = " + work + " exceeds this server's limit of " + settings.maxPixelSteps()
                    + " (serve --max-pixel-steps): ask for fewer steps or a smaller image");
        }
        return req;
    }

    /** The field a GenerationRequest message starts with ("num_steps: ..."); "width/height" resolved to the bad one. */
    static String field(String message, int width, int height) {
        int colon = message == null ? -1 : message.indexOf(':');
        String f = colon > 0 ? message.substring(0, colon) : "body";
        if (!f.matches("[a-z_/]+(\\[[0-9]+])?")) return "body";
        if (f.equals("width/height")) return width < 16 || width > GenerationRequest.MAX_SIDE ? "width" : "height";
        return f;
    }

    static String kind(JsonNode n) {
        return switch (n.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "a list";
            case OBJECT -> "an object";
            case NULL -> "null";
            default -> n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
