-- Nightly statistics roll-up (issue 7, housekeeping), ready for the public statistics issue (R-N1, R-F8, §6.8): one
-- row per Vietnam calendar day, receiving agency, procedure and channel. The job recomputes a window of recent days
-- (dossiers finish after the day they were received), so every row is a pure function of the dossiers: re-running it
-- changes nothing, and two nodes running it at once write the same numbers.
CREATE TABLE portal.stats_daily (
    day                 date NOT NULL,
    agency_id           uuid NOT NULL REFERENCES portal.agency (id),
    procedure_id        uuid NOT NULL REFERENCES portal.procedure (id),
    channel             text NOT NULL CHECK (channel IN ('direct', 'online', 'postal')),
    received            integer NOT NULL DEFAULT 0,   -- accepted at reception that day (status 2 reached)
    refused             integer NOT NULL DEFAULT 0,   -- refused at reception that day
    finished_early      integer NOT NULL DEFAULT 0,   -- end of processing that day, on a day before the due day
    finished_on_time    integer NOT NULL DEFAULT 0,   -- on the due day, at or before the due instant
    finished_late       integer NOT NULL DEFAULT 0,   -- after the due instant (the due date after any apology)
    finished_late_original integer NOT NULL DEFAULT 0, -- after the appointment given at reception (R-G6: both are reported)
    finished_late_766   integer NOT NULL DEFAULT 0,   -- not late by time but supplemented more than once in processing
    returned            integer NOT NULL DEFAULT 0,   -- result handed over that day
    computed_at         timestamptz NOT NULL,
    PRIMARY KEY (day, agency_id, procedure_id, channel)
);
CREATE INDEX stats_daily_agency ON portal.stats_daily (agency_id, day);

-- Statistics by day read dossiers by the day they were received, finished and returned.
CREATE INDEX dossiers_received_at ON portal.dossiers (received_at) WHERE received_at IS NOT NULL;
CREATE INDEX dossiers_finished_at ON portal.dossiers (finished_at) WHERE finished_at IS NOT NULL;
CREATE INDEX dossiers_returned_at ON portal.dossiers (returned_at) WHERE returned_at IS NOT NULL;

-- The cluster probe (Portal:Jobs:Probe, off by default): a job that holds for a while and records which node started
-- and which finished it, so operators — and the clustering test — can watch a killed node's job recovered by another.
CREATE TABLE portal.job_probes (
    fire_id      text PRIMARY KEY,      -- the firing (a recovered firing keeps its trigger, gets a new fire id)
    started_by   text NOT NULL,
    started_at   timestamptz NOT NULL,
    recovering   boolean NOT NULL,
    finished_at  timestamptz
);
