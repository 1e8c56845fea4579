-- National frameworks shipped with the service; plans link their priorities, objectives and
-- commitments to these items, and the coverage matrix shows which items nothing addresses.
WITH framework AS (
  INSERT INTO frameworks (slug, name, description) VALUES
    ('strategic-policing-requirement-2023', 'Strategic Policing Requirement 2023',
     'The national threats the Home Secretary requires forces to help counter. Commissioners must have regard to it when issuing or varying a plan (PRSRA 2011 s.5(5); Police Act 1996 s.37A).')
  RETURNING id
)
INSERT INTO framework_items (framework_id, code, title, description, position)
SELECT framework.id, item.code, item.title, item.description, item.position FROM framework, (VALUES
  ('vawg', 'Violence against women and girls', 'Added as a national threat in the 2023 requirement.', 1),
  ('terrorism', 'Terrorism', '', 2),
  ('serious-organised-crime', 'Serious and organised crime', '', 3),
  ('cyber', 'A national cyber event', '', 4),
  ('child-sexual-abuse', 'Child sexual abuse', '', 5),
  ('public-disorder', 'Public disorder', '', 6),
  ('civil-emergencies', 'Civil emergencies', '', 7)
) AS item(code, title, description, position);
--> statement-breakpoint
WITH framework AS (
  INSERT INTO frameworks (slug, name, description) VALUES
    ('national-crime-and-policing-measures', 'National Crime and Policing Measures',
     'The Home Office''s national priorities for policing (2021), reported against a 2019 baseline.')
  RETURNING id
)
INSERT INTO framework_items (framework_id, code, title, description, position)
SELECT framework.id, item.code, item.title, '', item.position FROM framework, (VALUES
  ('homicide', 'Reduce murder and other homicide', 1),
  ('serious-violence', 'Reduce serious violence', 2),
  ('drugs-county-lines', 'Disrupt drugs supply and county lines', 3),
  ('neighbourhood-crime', 'Reduce neighbourhood crime', 4),
  ('cyber-crime', 'Tackle cyber crime', 5),
  ('victim-satisfaction', 'Improve satisfaction among victims, with a particular focus on victims of domestic abuse', 6)
) AS item(code, title, position);
--> statement-breakpoint
WITH framework AS (
  INSERT INTO frameworks (slug, name, description) VALUES
    ('serious-violence-strategy-2018', 'Serious Violence Strategy 2018', 'The Home Office strategy of April 2018 and its four themes.')
  RETURNING id
)
INSERT INTO framework_items (framework_id, code, title, description, position)
SELECT framework.id, item.code, item.title, '', item.position FROM framework, (VALUES
  ('county-lines', 'Tackling county lines and misuse of drugs', 1),
  ('early-intervention', 'Early intervention and prevention', 2),
  ('communities-partnerships', 'Supporting communities and local partnerships', 3),
  ('law-enforcement', 'Law enforcement and the criminal justice response', 4)
) AS item(code, title, position);
