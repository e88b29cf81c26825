import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { auth, type Cart, cartApi, onSessionChange, type User } from './api';

interface ShopState {
  user: User | null;
  /** False until a stored session has been restored (or found absent). */
  ready: boolean;
  cart: Cart | null;
  setCart: (cart: Cart) => void;
  reloadCart: () => Promise<void>;
  login: (email: string, password: string) => Promise<void>;
  register: (name: string, email: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
}

const ShopContext = createContext<ShopState | null>(null);

export function ShopProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);
  const [ready, setReady] = useState(false);
  const [cart, setCart] = useState<Cart | null>(null);

  const reloadCart = useCallback(async () => {
    try {
      setCart(await cartApi.get());
    } catch {
      // The cart badge is not worth an error screen; pages that need the cart load it themselves.
    }
  }, []);

  useEffect(() => {
    onSessionChange(setUser);
    auth.restore().finally(() => setReady(true));
  }, []);

  useEffect(() => {
    if (ready) void reloadCart();
  }, [ready, reloadCart]);

  const value = useMemo<ShopState>(
    () => ({
      user,
      ready,
      cart,
      setCart,
      reloadCart,
      login: async (email, password) => {
        await auth.login(email, password);
        await reloadCart();
      },
      register: async (name, email, password) => {
        await auth.register(name, email, password);
        await reloadCart();
      },
      logout: async () => {
        await auth.logout();
        setCart(null);
      },
    }),
    [user, ready, cart, reloadCart],
  );
  return <ShopContext.Provider value={value}>{children}</ShopContext.Provider>;
}

export function useShop() {
  const state = useContext(ShopContext);
  if (!state) throw new Error('useShop outside ShopProvider');
  return state;
}
