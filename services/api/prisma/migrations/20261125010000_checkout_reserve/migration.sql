-- Lets checkout reserve stock and create the order in ONE statement (one round trip, no
-- interactive transaction): when any line cannot be reserved, the statement calls this,
-- the error aborts it, and every decrement it made is rolled back with it.
CREATE FUNCTION dhakacart_out_of_stock() RETURNS uuid
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'one or more items are out of stock' USING ERRCODE = 'DC409';
END
$$;
