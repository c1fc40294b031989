-- Creates the curated MLB tables (season lines, standings, daily fantasy points) and the
-- fantasy scoring table, seeded with a 'standard' scoring system analysts can edit.
create table curated.mlb_player_season_batting (
    season integer not null,
    player_id integer not null,
    team_id integer,
    games integer not null,
    plate_appearances integer not null,
    at_bats integer not null,
    runs integer not null,
    hits integer not null,
    doubles integer not null,
    triples integer not null,
    home_runs integer not null,
    rbi integer not null,
    base_on_balls integer not null,
    strike_outs integer not null,
    stolen_bases integer not null,
    caught_stealing integer not null,
    hit_by_pitch integer not null,
    sac_flies integer not null,
    total_bases integer not null,
    avg numeric(4, 3),
    obp numeric(4, 3),
    slg numeric(4, 3),
    ops numeric(5, 3),
    updated_at timestamptz not null default now(),
    primary key (season, player_id)
);

create table curated.mlb_player_season_pitching (
    season integer not null,
    player_id integer not null,
    team_id integer,
    games integer not null,
    games_started integer not null,
    outs integer not null,
    innings_pitched text not null,
    hits integer not null,
    runs integer not null,
    earned_runs integer not null,
    base_on_balls integer not null,
    strike_outs integer not null,
    home_runs integer not null,
    batters_faced integer not null,
    pitches integer not null,
    wins integer not null,
    losses integer not null,
    saves integer not null,
    holds integer not null,
    era numeric(6, 2),
    whip numeric(5, 2),
    updated_at timestamptz not null default now(),
    primary key (season, player_id)
);

create table curated.mlb_team_standings (
    season integer not null,
    team_id integer not null,
    team_name text,
    league_id integer,
    division_id integer,
    games_played integer not null,
    wins integer not null,
    losses integer not null,
    win_pct numeric(4, 3),
    runs_scored integer not null,
    runs_allowed integer not null,
    run_differential integer not null,
    updated_at timestamptz not null default now(),
    primary key (season, team_id)
);

-- Points per unit of a staging stat column; any column of mlb_player_batting or
-- mlb_player_pitching can be scored. Change a row, re-run the aggregate.
create table curated.fantasy_scoring (
    scoring_system text not null,
    stat_group text not null check (stat_group in ('batting', 'pitching')),
    stat_name text not null,
    points numeric(6, 2) not null,
    primary key (scoring_system, stat_group, stat_name)
);

insert into curated.fantasy_scoring (scoring_system, stat_group, stat_name, points) values
    ('standard', 'batting', 'hits', 1),
    ('standard', 'batting', 'doubles', 1),
    ('standard', 'batting', 'triples', 2),
    ('standard', 'batting', 'home_runs', 3),
    ('standard', 'batting', 'runs', 1),
    ('standard', 'batting', 'rbi', 1),
    ('standard', 'batting', 'base_on_balls', 1),
    ('standard', 'batting', 'hit_by_pitch', 1),
    ('standard', 'batting', 'stolen_bases', 2),
    ('standard', 'batting', 'caught_stealing', -1),
    ('standard', 'batting', 'strike_outs', -1),
    ('standard', 'pitching', 'outs', 1),
    ('standard', 'pitching', 'strike_outs', 1),
    ('standard', 'pitching', 'wins', 5),
    ('standard', 'pitching', 'losses', -3),
    ('standard', 'pitching', 'saves', 5),
    ('standard', 'pitching', 'holds', 2),
    ('standard', 'pitching', 'earned_runs', -2),
    ('standard', 'pitching', 'hits', -1),
    ('standard', 'pitching', 'base_on_balls', -1),
    ('standard', 'pitching', 'hit_batsmen', -1);

create table curated.mlb_fantasy_points_daily (
    scoring_system text not null,
    official_date date not null,
    player_id integer not null,
    team_id integer,
    games integer not null,
    batting_points numeric(8, 2) not null,
    pitching_points numeric(8, 2) not null,
    total_points numeric(8, 2) not null,
    updated_at timestamptz not null default now(),
    primary key (scoring_system, official_date, player_id)
);

create index mlb_fantasy_points_daily_date_idx on curated.mlb_fantasy_points_daily (official_date);
