-- Working-day calendar and deadline engine (DOMAIN.md §6). The statutory holidays are derived in code from the
-- Labour Code and the lunar calendar; what is stored here is what varies: each year's government decisions, each
-- centre's working time, and each dossier's clock.

-- Working time per centre (R-F2, R-F7). Every working day of a profile has the same sessions.
CREATE TABLE portal.working_time_profiles (
    code                text PRIMARY KEY CHECK (code ~ '^[a-z0-9-]{1,40}$'),
    name                text NOT NULL CHECK (btrim(name) <> ''),
    working_weekdays    smallint[] NOT NULL CHECK (cardinality(working_weekdays) > 0
                                                   AND working_weekdays <@ ARRAY[1, 2, 3, 4, 5, 6, 7]::smallint[]),  -- ISO: 1 = Monday
    saturday_reception  boolean NOT NULL DEFAULT false,   -- receives on Saturdays without counting them (R-F7)
    updated_at          timestamptz NOT NULL DEFAULT now(),
    updated_by          text NOT NULL
);

CREATE TABLE portal.working_sessions (
    profile_code  text NOT NULL REFERENCES portal.working_time_profiles (code) ON DELETE CASCADE,
    start_time    time NOT NULL,
    end_time      time NOT NULL CHECK (end_time > start_time),
    PRIMARY KEY (profile_code, start_time)
);

-- NULL: the province's default profile.
ALTER TABLE portal.agency ADD COLUMN working_time_profile text REFERENCES portal.working_time_profiles (code);

INSERT INTO portal.working_time_profiles (code, name, working_weekdays, updated_by)
VALUES ('mac-dinh', 'Giờ hành chính (mặc định)', ARRAY[1, 2, 3, 4, 5], 'migration 0007');
INSERT INTO portal.working_sessions (profile_code, start_time, end_time)
VALUES ('mac-dinh', '07:00', '11:30'), ('mac-dinh', '13:30', '17:00');

-- The yearly announcements (R-F5): extra days off, swapped working days, working Saturdays. A decision overrides the
-- derived day; removal keeps the row (who, when, why) and never rewrites a due date already issued.
CREATE TABLE portal.holiday_decisions (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    day             date NOT NULL CHECK (day BETWEEN DATE '1900-01-01' AND DATE '2100-12-31'),
    kind            text NOT NULL CHECK (kind IN ('holiday', 'compensatory-day-off', 'bridge-day-off', 'working-day')),
    reason          text NOT NULL CHECK (btrim(reason) <> ''),
    source          text NOT NULL CHECK (btrim(source) <> ''),   -- the legal document that decided it
    created_at      timestamptz NOT NULL DEFAULT now(),
    created_by      text NOT NULL,
    removed_at      timestamptz,
    removed_by      text,
    removed_reason  text,
    CHECK ((removed_at IS NULL) = (removed_by IS NULL) AND (removed_at IS NULL) = (removed_reason IS NULL))
);
CREATE UNIQUE INDEX holiday_decisions_one_per_day ON portal.holiday_decisions (day) WHERE removed_at IS NULL;

-- Every change to the calendar, for the audit trail on /quan-tri/lich-lam-viec.
CREATE TABLE portal.calendar_changes (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    changed_at  timestamptz NOT NULL DEFAULT now(),
    changed_by  text NOT NULL,
    action      text NOT NULL CHECK (action IN ('add-decision', 'remove-decision', 'save-profile')),
    day         date,
    detail      text NOT NULL
);

-- Bumped by every calendar change in the same transaction; nodes cache calendars per version (like the catalogue).
CREATE TABLE portal.calendar_state (
    id       smallint PRIMARY KEY CHECK (id = 1),
    version  bigint NOT NULL
);
INSERT INTO portal.calendar_state VALUES (1, 1);

-- Known announcements for 2024–2026, as entered from the Ministry's notices; later years are edited by administrators.
-- Days the Labour Code already gives (1/1, Tết, 10/3 lunar, 30/4, 1/5, 2/9 and its adjacent day, compensatory days)
-- are derived and need no row; a row is needed only where the announcement differs from the derivation.
INSERT INTO portal.holiday_decisions (day, kind, reason, source, created_by) VALUES
    ('2024-02-08', 'bridge-day-off', 'Nghỉ Tết Nguyên Đán (29 tháng Chạp), nghỉ bù thay ngày 15/02/2024',
        'Thông báo lịch nghỉ Tết Âm lịch Giáp Thìn 2024 đối với cán bộ, công chức, viên chức (Bộ LĐ-TB&XH)', 'migration 0007'),
    ('2024-02-15', 'working-day', 'Làm việc bình thường: ngày nghỉ bù Tết được bố trí vào 08/02/2024',
        'Thông báo lịch nghỉ Tết Âm lịch Giáp Thìn 2024 đối với cán bộ, công chức, viên chức (Bộ LĐ-TB&XH)', 'migration 0007'),
    ('2024-04-29', 'bridge-day-off', 'Nghỉ hoán đổi, làm bù thứ Bảy 04/05/2024',
        'Thông báo nghỉ lễ 30/4 và 1/5 năm 2024 (Bộ LĐ-TB&XH), hoán đổi ngày làm việc', 'migration 0007'),
    ('2024-05-04', 'working-day', 'Làm bù cho thứ Hai 29/04/2024',
        'Thông báo nghỉ lễ 30/4 và 1/5 năm 2024 (Bộ LĐ-TB&XH), hoán đổi ngày làm việc', 'migration 0007'),
    ('2025-01-27', 'bridge-day-off', 'Nghỉ Tết Nguyên Đán (hoán đổi, làm bù thứ Bảy 08/02/2025)',
        'Thông báo lịch nghỉ Tết Âm lịch Ất Tỵ 2025 đối với cán bộ, công chức, viên chức (Bộ LĐ-TB&XH)', 'migration 0007'),
    ('2025-02-03', 'working-day', 'Làm việc bình thường: kỳ nghỉ Tết kết thúc Chủ Nhật 02/02/2025',
        'Thông báo lịch nghỉ Tết Âm lịch Ất Tỵ 2025 đối với cán bộ, công chức, viên chức (Bộ LĐ-TB&XH)', 'migration 0007'),
    ('2025-02-08', 'working-day', 'Làm bù cho thứ Hai 27/01/2025',
        'Thông báo lịch nghỉ Tết Âm lịch Ất Tỵ 2025 đối với cán bộ, công chức, viên chức (Bộ LĐ-TB&XH)', 'migration 0007'),
    ('2025-05-02', 'bridge-day-off', 'Nghỉ hoán đổi, làm bù thứ Bảy 26/04/2025',
        'Thông báo nghỉ lễ 30/4 và 1/5 năm 2025 (Bộ Nội vụ), hoán đổi ngày làm việc', 'migration 0007'),
    ('2025-04-26', 'working-day', 'Làm bù cho thứ Sáu 02/05/2025',
        'Thông báo nghỉ lễ 30/4 và 1/5 năm 2025 (Bộ Nội vụ), hoán đổi ngày làm việc', 'migration 0007'),
    ('2026-08-31', 'bridge-day-off', 'Nghỉ hoán đổi, làm bù thứ Bảy 22/08/2026',
        'Thông báo nghỉ lễ Quốc khánh năm 2026 (Bộ Nội vụ), hoán đổi ngày làm việc', 'migration 0007'),
    ('2026-08-22', 'working-day', 'Làm bù cho thứ Hai 31/08/2026',
        'Thông báo nghỉ lễ Quốc khánh năm 2026 (Bộ Nội vụ), hoán đổi ngày làm việc', 'migration 0007');

INSERT INTO portal.calendar_changes (changed_by, action, detail)
VALUES ('migration 0007', 'add-decision', 'Nạp các quyết định nghỉ lễ, làm bù đã biết của các năm 2024–2026.');

-- Cut-off hours are rule data per procedure (§6.4); certification is "same day, or the next working day after 15:00".
ALTER TABLE portal.procedure_processing_time ADD COLUMN cut_off time;
ALTER TABLE portal.procedure_processing_time DROP CONSTRAINT procedure_processing_time_unit_check;
ALTER TABLE portal.procedure_processing_time DROP CONSTRAINT procedure_processing_time_amount_check;
ALTER TABLE portal.procedure_processing_time
    ADD CONSTRAINT procedure_processing_time_unit_check
        CHECK (unit IN ('working-days', 'calendar-days', 'working-hours', 'same-day')),
    ADD CONSTRAINT procedure_processing_time_amount_check
        CHECK (amount > 0 OR (unit = 'same-day' AND amount = 0));

-- A dossier's clock (§6.5): append-only segments; the due dates are derived from them. The foreign key to the dossier
-- arrives with the dossier table.
CREATE TABLE portal.dossier_clock_segments (
    dossier_id   uuid NOT NULL,
    seq          integer NOT NULL CHECK (seq >= 0),
    state        text NOT NULL CHECK (state IN ('running', 'stopped')),
    cause        text NOT NULL CHECK (cause IN ('agency-step', 'supplement-requested', 'waiting-for-fees', 'waiting-for-citizen')),
    agency_code  text,
    step         integer,
    started_at   timestamptz NOT NULL,
    ended_at     timestamptz CHECK (ended_at >= started_at),
    actor        text,
    note         text,
    PRIMARY KEY (dossier_id, seq),
    CHECK (state = 'stopped' OR (cause = 'agency-step' AND agency_code IS NOT NULL))
);
CREATE UNIQUE INDEX dossier_clock_segments_one_open ON portal.dossier_clock_segments (dossier_id) WHERE ended_at IS NULL;

-- The one new appointment of an apology letter (R-G2): the primary key makes a second one impossible.
CREATE TABLE portal.dossier_deadline_extensions (
    dossier_id  uuid PRIMARY KEY,
    granted_at  timestamptz NOT NULL,
    new_due     timestamptz NOT NULL,
    reason      text NOT NULL,
    timely      boolean NOT NULL,
    granted_by  text NOT NULL
);
