'use strict';
// What an origin of the sample server keeps of its traffic: the log of every
// request (server.requests, storage.requests) with the status it was answered
// with, the requests in flight, and the body bytes written.

function createTraffic() {
  const traffic = {
    requests: [],
    inFlight: 0,
    maxInFlight: 0,
    bytesSent: 0,
    /** Counts `res` in flight until it closes. */
    track(res) {
      traffic.inFlight++;
      if (traffic.inFlight > traffic.maxInFlight) traffic.maxInFlight = traffic.inFlight;
      res.on('close', () => { traffic.inFlight--; });
    },
    /** Logs `record`, and the status it was answered with once the answer is over (undefined: none, e.g. a reset). */
    log(record, res) {
      traffic.requests.push(record);
      res.on('close', () => {
        record.status = res.headersSent ? res.statusCode : undefined;
      });
    },
  };
  return traffic;
}

module.exports = { createTraffic };
