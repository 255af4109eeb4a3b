package io.parley.adapters.rest;

import io.helidon.common.buffers.DataReader;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.parley.application.port.in.Converse;
import io.parley.application.port.in.CreateRoom;
import io.parley.application.port.in.ManageRooms;
import io.parley.domain.ChatLimits;
import io.parley.domain.DirectoryQuery;
import io.parley.domain.ErrorCode;
import io.parley.domain.HistoryQuery;
import io.parley.domain.Member;
import io.parley.domain.ParleyException;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.RoomListPage;
import io.parley.domain.RoomListQuery;
import io.parley.domain.RoomSummary;
import io.parley.domain.SearchQuery;
import io.parley.domain.User;
import io.parley.domain.UserId;
import io.parley.wire.CreateRoomRequest;
import io.parley.wire.CrossOrigin;
import io.parley.wire.HttpAccess;
import io.parley.wire.HttpStatuses;
import io.parley.wire.ProtocolCodec;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * The REST endpoints under {@code /v1}: create, list, read and change rooms, the directory of open rooms, direct
 * conversations, members, roles, hand-over and bans, history paging, room presence and message search. Every request is authenticated like the other transports (bearer header or
 * {@code access_token}) and checked against the same Origin allow-list, which also answers CORS, so a page
 * on another allowed origin can call the endpoints with {@code fetch}; errors are
 * {@code {"error":{"code","message"}}} with the protocol's HTTP status.
 */
public final class RestApi implements HttpService {
    private static final System.Logger LOG = System.getLogger(RestApi.class.getName());

    private final ManageRooms rooms;
    private final Converse converse;
    private final HttpAccess access;
    private final ProtocolCodec codec;

    private RestApi(ManageRooms rooms, Converse converse, HttpAccess access, ProtocolCodec codec) {
        this.rooms = rooms;
        this.converse = converse;
        this.access = access;
        this.codec = codec;
    }

    /**
     * @param rooms    room use cases
     * @param converse message use cases
     * @param access   authentication rules
     * @param codec    JSON codec
     * @return the service; register it at {@code /v1}
     */
    public static RestApi create(ManageRooms rooms, Converse converse, HttpAccess access, ProtocolCodec codec) {
        return new RestApi(rooms, converse, access, codec);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/rooms", (req, res) -> handle(req, res, this::createRoom))
                .get("/rooms", (req, res) -> handle(req, res, (user, r, s) -> {
                    RoomListPage page = rooms.roomsOf(user, roomListQuery(r));
                    json(s, 200, codec.encodeRooms(page, rooms.peersIn(user,
                            page.rooms().stream().map(RoomSummary::room).toList())));
                }))
                .get("/rooms/{room}", (req, res) -> handle(req, res, (user, r, s) ->
                        json(s, 200, encodeView(user, rooms.view(user, room(r))))))
                .put("/direct/{user}", (req, res) -> handle(req, res, (user, r, s) -> {
                    ManageRooms.DirectOpened opened = rooms.openDirect(user, member(r));
                    if (opened.created()) {
                        s.header(HeaderNames.LOCATION, "/v1/rooms/" + opened.view().room().id().value());
                    }
                    json(s, opened.created() ? 201 : 200, encodeView(user, opened.view()));
                }))
                .delete("/rooms/{room}", (req, res) -> handle(req, res, (user, r, s) -> json(s, 200,
                        codec.encodeEvent(rooms.delete(user, room(r))))))
                .patch("/rooms/{room}", (req, res) -> handle(req, res, (user, r, s) -> changed(s,
                        rooms.update(user, room(r), codec.decodeRoomChange(body(r, s, e -> error(s, e)))))))
                .get("/rooms/{room}/members", (req, res) -> handle(req, res, (user, r, s) -> {
                    List<Member> members = rooms.members(user, room(r));
                    json(s, 200, codec.encodeMembers(members,
                            rooms.displayNames(user, members.stream().map(Member::user).toList())));
                }))
                .put("/rooms/{room}/members/{user}/role", (req, res) -> handle(req, res, (user, r, s) -> changed(s,
                        rooms.setRole(user, room(r), member(r), codec.decodeRole(body(r, s, e -> error(s, e)))))))
                .put("/rooms/{room}/owner", (req, res) -> handle(req, res, (user, r, s) -> changed(s,
                        rooms.handOver(user, room(r), codec.decodeOwner(body(r, s, e -> error(s, e)))))))
                .get("/rooms/{room}/bans", (req, res) -> handle(req, res, (user, r, s) -> json(s, 200,
                        codec.encodeBanned(rooms.banned(user, room(r))))))
                .put("/rooms/{room}/bans/{user}", (req, res) -> handle(req, res, (user, r, s) ->
                        changed(s, rooms.ban(user, room(r), member(r)))))
                .delete("/rooms/{room}/bans/{user}", (req, res) -> handle(req, res, (user, r, s) ->
                        changed(s, rooms.unban(user, room(r), member(r)))))
                .put("/rooms/{room}/members/{user}", (req, res) -> handle(req, res, (user, r, s) ->
                        changed(s, rooms.addMember(user, room(r), member(r)))))
                .delete("/rooms/{room}/members/{user}", (req, res) -> handle(req, res, (user, r, s) ->
                        changed(s, rooms.removeMember(user, room(r), member(r)))))
                .get("/rooms/{room}/messages", (req, res) -> handle(req, res, (user, r, s) -> json(s, 200,
                        codec.encodeHistory(converse.history(user, room(r), historyQuery(r))))))
                .get("/rooms/{room}/presence", (req, res) -> handle(req, res, (user, r, s) -> json(s, 200,
                        codec.encodePresence(rooms.presence(user, room(r))))))
                .get("/directory", (req, res) -> handle(req, res, (user, r, s) -> json(s, 200,
                        codec.encodeDirectory(rooms.directory(user, directoryQuery(r))))))
                .get("/search", (req, res) -> handle(req, res, (user, r, s) -> json(s, 200,
                        codec.encodeSearch(converse.search(user, searchQuery(r))))));
        for (String path : List.of("/rooms", "/rooms/{room}", "/rooms/{room}/members", "/rooms/{room}/members/{user}",
                "/rooms/{room}/members/{user}/role", "/rooms/{room}/owner", "/rooms/{room}/bans",
                "/rooms/{room}/bans/{user}", "/rooms/{room}/messages",
                "/rooms/{room}/presence", "/search", "/direct/{user}", "/directory")) {
            rules.options(path, this::preflight);
        }
    }

    /** Answers a CORS preflight: 204 with the allowed methods and headers, or 403 for another origin. */
    private void preflight(ServerRequest req, ServerResponse res) {
        try {
            CrossOrigin.admit(access, req.headers().first(HeaderNames.ORIGIN)).forEach(res::header);
        } catch (ParleyException e) {
            refused(req, e);
            error(res, e);
            return;
        }
        CrossOrigin.preflightHeaders(CrossOrigin.REST_METHODS).forEach(res::header);
        res.status(Status.NO_CONTENT_204).send();
    }

    /** A room with its last seq, and for a direct conversation the other person as {@code user} sees them. */
    private String encodeView(User user, ManageRooms.RoomView view) {
        return codec.encodeRoom(view.room(), view.lastSeq(),
                Optional.ofNullable(rooms.peersIn(user, List.of(view.room())).get(view.room().id())));
    }

    private void createRoom(User user, ServerRequest req, ServerResponse res) {
        // No body at all is a malformed one (400), not a server error.
        CreateRoomRequest body = codec.decodeCreateRoom(body(req, res, e -> error(res, e)));
        ManageRooms.RoomView created = rooms.create(user,
                new CreateRoom(body.name(), body.visibility(), body.members()));
        res.header(HeaderNames.LOCATION, "/v1/rooms/" + created.room().id().value());
        json(res, 201, codec.encodeRoom(created.room(), created.lastSeq()));
    }

    private RoomListQuery roomListQuery(ServerRequest req) {
        int limit = intParam(req, "limit").orElse(RoomListQuery.DEFAULT_LIMIT);
        Optional<String> cursor = req.query().first("cursor").asOptional();
        return cursor.isPresent()
                ? RoomListQuery.after(codec.decodeRoomCursor(cursor.get()), limit)
                : RoomListQuery.first(limit);
    }

    private DirectoryQuery directoryQuery(ServerRequest req) {
        int limit = intParam(req, "limit").orElse(RoomListQuery.DEFAULT_LIMIT);
        return new DirectoryQuery(req.query().first("q").asOptional().orElse(""),
                req.query().first("cursor").asOptional().map(codec::decodeDirectoryCursor), limit);
    }

    private SearchQuery searchQuery(ServerRequest req) {
        String text = req.query().first("q").asOptional()
                .orElseThrow(() -> ParleyException.invalid("q (the words to search for) is required"));
        int limit = intParam(req, "limit").orElse(SearchQuery.DEFAULT_LIMIT);
        Optional<SearchQuery.Position> after = req.query().first("cursor").asOptional()
                .map(codec::decodeSearchCursor);
        return SearchQuery.of(text, after, limit);
    }

    static HistoryQuery historyQuery(ServerRequest req) {
        int limit = intParam(req, "limit").orElse(HistoryQuery.DEFAULT_LIMIT);
        OptionalLong after = longParam(req, "after");
        OptionalLong before = longParam(req, "before");
        if (after.isPresent() && before.isPresent()) {
            throw ParleyException.invalid("use either before or after, not both");
        }
        if (after.isPresent()) {
            return HistoryQuery.after(after.getAsLong(), limit);
        }
        return before.isPresent() ? HistoryQuery.before(before.getAsLong(), limit) : HistoryQuery.latest(limit);
    }

    private static Optional<Integer> intParam(ServerRequest req, String name) {
        OptionalLong value = longParam(req, name);
        if (value.isPresent() && value.getAsLong() > Integer.MAX_VALUE) {
            throw ParleyException.invalid(name + " is too large");
        }
        return value.isPresent() ? Optional.of((int) value.getAsLong()) : Optional.empty();
    }

    private static OptionalLong longParam(ServerRequest req, String name) {
        Optional<String> raw = req.query().first(name).asOptional();
        if (raw.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            long value = Long.parseLong(raw.get());
            if (value < 0) {
                throw ParleyException.invalid(name + " must not be negative");
            }
            if (value > ChatLimits.MAX_SEQ) {
                throw ParleyException.invalid(name + " must be at most " + ChatLimits.MAX_SEQ);
            }
            return OptionalLong.of(value);
        } catch (NumberFormatException e) {
            throw ParleyException.invalid(name + " must be a whole number");
        }
    }

    static RoomId room(ServerRequest req) {
        return RoomId.of(req.path().pathParameters().get("room"));
    }

    private static UserId member(ServerRequest req) {
        return UserId.of(req.path().pathParameters().get("user"));
    }

    private void changed(ServerResponse res, Optional<RoomEvent> event) {
        if (event.isPresent()) {
            json(res, 200, codec.encodeEvent(event.get()));
        } else {
            res.status(Status.NO_CONTENT_204).send();
        }
    }

    private void handle(ServerRequest req, ServerResponse res, Endpoint endpoint) {
        User user;
        try {
            // Refuses (403) a page from an origin off the allow-list; adds the CORS headers otherwise.
            CrossOrigin.admit(access, req.headers().first(HeaderNames.ORIGIN)).forEach(res::header);
            user = access.authenticate(req.headers().first(HeaderNames.AUTHORIZATION),
                    req.query().first("access_token").asOptional()).user();
        } catch (ParleyException e) {
            refused(req, e);
            error(res, e);
            return;
        }
        try {
            endpoint.serve(user, req, res);
        } catch (CloseConnectionException e) {
            throw e;
        } catch (ParleyException e) {
            error(res, e);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "REST " + req.prologue().method().text() + " "
                    + req.path().path() + " failed", e);
            json(res, 500, codec.encodeError(ErrorCode.INTERNAL.wireName(), "internal error"));
        }
    }

    /**
     * The request body as text; none at all is an empty one. A body Helidon refuses to read (over
     * {@code server.max-payload-size}, or malformed chunks) is the client's mistake, not a server error: 413
     * or 400, and the connection is closed, since the rest of that body must not be read as a next request.
     */
    static String body(ServerRequest req, ServerResponse res, Consumer<ParleyException> answer) {
        try {
            return req.content().hasEntity() ? req.content().as(String.class) : "";
        } catch (CloseConnectionException e) {
            throw e; // Helidon's own: the socket failed under the read (closed at the body deadline, say)
        } catch (UncheckedIOException | DataReader.InsufficientDataAvailableException e) {
            // the connection is gone: there is nobody to answer
            throw new CloseConnectionException("the client went away", e);
        } catch (RuntimeException e) {
            // Helidon's RequestException (413 over the limit, 400 a bad chunk terminator) or a parse failure of
            // a chunk size: answered, then the connection is closed without reading further.
            boolean tooLarge = e instanceof RequestException refused
                    && refused.status().code() == Status.REQUEST_ENTITY_TOO_LARGE_413.code();
            res.header(HeaderValues.CONNECTION_CLOSE);
            answer.accept(tooLarge ? ParleyException.tooLarge("the request body is over the size limit")
                    : ParleyException.invalid("malformed request body (chunked encoding or length)"));
            throw new CloseConnectionException("request body refused", e);
        }
    }

    /** Counts a request refused before any endpoint ran, for the server log: no token, no query. */
    private void refused(ServerRequest req, ParleyException e) {
        access.refused(e, req.prologue().method().text(), req.path().path(), req.remotePeer().address(),
                req.headers().first(HeaderNames.X_FORWARDED_FOR), req.headers().first(HeaderNames.ORIGIN));
    }

    private void error(ServerResponse res, ParleyException e) {
        if (e.code() == ErrorCode.UNAUTHORIZED) {
            res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
        }
        json(res, HttpStatuses.of(e.code()), codec.encodeError(e.code().wireName(), e.getMessage()));
    }

    static void json(ServerResponse res, int status, String body) {
        res.status(Status.create(status));
        res.headers().contentType(MediaTypes.APPLICATION_JSON);
        res.headers().set(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(body);
    }

    @FunctionalInterface
    private interface Endpoint {
        void serve(User user, ServerRequest req, ServerResponse res);
    }
}
