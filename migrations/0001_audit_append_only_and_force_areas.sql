-- Append-only audit log and the 43 territorial force areas (reference data).
CREATE FUNCTION audit_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();
--> statement-breakpoint
INSERT INTO force_areas (id, name, nation, governance_model) VALUES
  ('avon-and-somerset', 'Avon and Somerset Constabulary', 'England', 'PCC'),
  ('bedfordshire', 'Bedfordshire Police', 'England', 'PCC'),
  ('cambridgeshire', 'Cambridgeshire Constabulary', 'England', 'PCC'),
  ('cheshire', 'Cheshire Constabulary', 'England', 'PCC'),
  ('city-of-london', 'City of London Police', 'England', 'Police authority (no PCC)'),
  ('cleveland', 'Cleveland Police', 'England', 'PCC'),
  ('cumbria', 'Cumbria Constabulary', 'England', 'PFCC'),
  ('derbyshire', 'Derbyshire Constabulary', 'England', 'PCC'),
  ('devon-and-cornwall', 'Devon & Cornwall Police', 'England', 'PCC'),
  ('dorset', 'Dorset Police', 'England', 'PCC'),
  ('durham', 'Durham Constabulary', 'England', 'PCC'),
  ('dyfed-powys', 'Dyfed-Powys Police', 'Wales', 'PCC'),
  ('essex', 'Essex Police', 'England', 'PFCC'),
  ('gloucestershire', 'Gloucestershire Constabulary', 'England', 'PCC'),
  ('greater-manchester', 'Greater Manchester Police', 'England', 'Mayor (PCC functions)'),
  ('gwent', 'Gwent Police', 'Wales', 'PCC'),
  ('hampshire', 'Hampshire Constabulary', 'England', 'PCC'),
  ('hertfordshire', 'Hertfordshire Constabulary', 'England', 'PCC'),
  ('humberside', 'Humberside Police', 'England', 'PCC'),
  ('kent', 'Kent Police', 'England', 'PCC'),
  ('lancashire', 'Lancashire Constabulary', 'England', 'PCC'),
  ('leicestershire', 'Leicestershire Police', 'England', 'PCC'),
  ('lincolnshire', 'Lincolnshire Police', 'England', 'PCC'),
  ('merseyside', 'Merseyside Police', 'England', 'PCC'),
  ('metropolitan', 'Metropolitan Police Service', 'England', 'Mayor (PCC-equivalent functions)'),
  ('norfolk', 'Norfolk Constabulary', 'England', 'PCC'),
  ('north-wales', 'North Wales Police', 'Wales', 'PCC'),
  ('north-yorkshire', 'North Yorkshire Police', 'England', 'Mayor (PCC functions; area previously had a PFCC)'),
  ('northamptonshire', 'Northamptonshire Police', 'England', 'PFCC'),
  ('northumbria', 'Northumbria Police', 'England', 'PCC'),
  ('nottinghamshire', 'Nottinghamshire Police', 'England', 'PCC'),
  ('south-wales', 'South Wales Police', 'Wales', 'PCC'),
  ('south-yorkshire', 'South Yorkshire Police', 'England', 'Mayor (PCC functions)'),
  ('staffordshire', 'Staffordshire Police', 'England', 'PFCC'),
  ('suffolk', 'Suffolk Constabulary', 'England', 'PCC'),
  ('surrey', 'Surrey Police', 'England', 'PCC'),
  ('sussex', 'Sussex Police', 'England', 'PCC'),
  ('thames-valley', 'Thames Valley Police', 'England', 'PCC'),
  ('warwickshire', 'Warwickshire Police', 'England', 'PCC'),
  ('west-mercia', 'West Mercia Police', 'England', 'PCC'),
  ('west-midlands', 'West Midlands Police', 'England', 'PCC'),
  ('west-yorkshire', 'West Yorkshire Police', 'England', 'Mayor (PCC functions)'),
  ('wiltshire', 'Wiltshire Police', 'England', 'PCC');
