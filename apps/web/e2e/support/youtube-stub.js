/* global window, document */
// A stand-in for the YouTube IFrame Player API (https://www.youtube.com/iframe_api) for browser tests, whose
// network is closed. It implements the part of `YT.Player` the lesson page uses, on a fake clock that moves only
// when a test calls `window.__ytStub.advance(seconds)`, and exposes every player's state for assertions:
//   window.__ytStub.players[i].state -> { videoId, host, playerVars, time, playerState, seeks, plays, pauses, destroyed }
// Set `window.__ytStubConfig = { duration }` (e.g. with page.addInitScript) to change the video length.
(function () {
  var PlayerState = { UNSTARTED: -1, ENDED: 0, PLAYING: 1, PAUSED: 2, BUFFERING: 3, CUED: 5 };
  var config = window.__ytStubConfig || {};
  var stub = { players: [], loads: (window.__ytStub && window.__ytStub.loads) || 0 };
  stub.loads += 1;

  function Player(elementOrId, options) {
    var element = typeof elementOrId === "string" ? document.getElementById(elementOrId) : elementOrId;
    if (!element) throw new Error("YT.Player stand-in: no element " + String(elementOrId));
    options = options || {};
    var vars = options.playerVars || {};
    this.options = options;
    this.state = {
      videoId: options.videoId,
      host: options.host || "https://www.youtube.com",
      playerVars: vars,
      duration: Number(config.duration || 3600),
      time: Number(vars.start || 0),
      playerState: PlayerState.UNSTARTED,
      seeks: [],
      plays: 0,
      pauses: 0,
      destroyed: false,
    };
    var frame = document.createElement("div");
    frame.setAttribute("data-testid", "youtube-stub");
    frame.setAttribute("data-video-id", String(options.videoId));
    frame.setAttribute("data-host", this.state.host);
    frame.textContent = "YouTube stand-in: " + String(options.videoId);
    element.replaceWith(frame);
    this.frame = frame;
    stub.players.push(this);
    window.setTimeout(
      function () {
        if (!this.state.destroyed && options.events && options.events.onReady) options.events.onReady({ target: this });
      }.bind(this),
      0,
    );
  }

  Player.prototype._setState = function (next) {
    if (this.state.playerState === next) return;
    this.state.playerState = next;
    var events = this.options.events;
    if (events && events.onStateChange) events.onStateChange({ target: this, data: next });
  };
  // As in the real API: seeking a paused video keeps it paused; from any other state it plays.
  Player.prototype.seekTo = function (seconds, allowSeekAhead) {
    this.state.seeks.push({ seconds: seconds, allowSeekAhead: allowSeekAhead });
    this.state.time = Math.max(0, Math.min(Number(seconds), this.state.duration));
    if (this.state.playerState !== PlayerState.PAUSED) this._setState(PlayerState.PLAYING);
  };
  Player.prototype.playVideo = function () {
    this.state.plays += 1;
    this._setState(PlayerState.PLAYING);
  };
  Player.prototype.pauseVideo = function () {
    this.state.pauses += 1;
    this._setState(PlayerState.PAUSED);
  };
  Player.prototype.getCurrentTime = function () {
    return this.state.time;
  };
  Player.prototype.getDuration = function () {
    return this.state.duration;
  };
  Player.prototype.getPlayerState = function () {
    return this.state.playerState;
  };
  Player.prototype.destroy = function () {
    this.state.destroyed = true;
    this.frame.remove();
  };

  /** Moves the fake clock of every playing player; a player that reaches its end stops (ENDED). */
  stub.advance = function (seconds) {
    stub.players.forEach(function (p) {
      if (p.state.destroyed || p.state.playerState !== PlayerState.PLAYING) return;
      p.state.time = Math.min(p.state.time + seconds, p.state.duration);
      if (p.state.time >= p.state.duration) p._setState(PlayerState.ENDED);
    });
  };
  /** The most recently created player that is still alive. */
  stub.current = function () {
    var alive = stub.players.filter(function (p) {
      return !p.state.destroyed;
    });
    return alive[alive.length - 1] || null;
  };

  window.__ytStub = stub;
  window.YT = { Player: Player, PlayerState: PlayerState, loaded: 1 };
  if (typeof window.onYouTubeIframeAPIReady === "function") window.onYouTubeIframeAPIReady();
})();
