/**
 * The API's request and response types, generated from its OpenAPI document (GET /openapi.json).
 * Do not edit: change the route schemas in services/api, then run `npm run gen:api-types -w web`.
 */
export interface paths {
  '/v1/products': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List and search products (keyset pagination) */
    get: operations['listProducts'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/products/{slug}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Product detail */
    get: operations['getProduct'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/categories': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Category tree (flat, with parent slugs) and product counts */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                slug: string;
                name: string;
                parentSlug: string | null;
                productCount: number;
              }[];
            };
          };
        };
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['def-0'];
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['def-0'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/brands': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Brands with product counts, optionally within a category */
    get: {
      parameters: {
        query?: {
          category?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                brand: string;
                productCount: number;
              }[];
            };
          };
        };
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['def-0'];
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['def-0'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/auth/register': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Create a customer account */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** Format: email */
            email: string;
            password: string;
            name: string;
            /** Format: uuid */
            guestCartId?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              accessToken: string;
              /** @description seconds */
              accessTokenExpiresIn: number;
              refreshToken: string;
              /** Format: date-time */
              refreshTokenExpiresAt: string;
              user: {
                /** Format: uuid */
                id: string;
                email: string;
                name: string;
                role: 'customer' | 'staff' | 'admin';
              };
              /** @description Keep it and send it with later logins to this account: a lockout caused by other people guessing the password does not apply to this device. */
              deviceToken?: string;
            };
          };
        };
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['def-0'];
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['def-0'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/auth/login': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Log in; a guest cart id given here is merged into the account cart
     * @description Rate limited per IP; after repeated failures the email is locked for a while (429 LOGIN_LOCKED), whether or not it has an account. A deviceToken from an earlier login to this account exempts this device from that lockout (its own failures lock it alone).
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** Format: email */
            email: string;
            password: string;
            /** Format: uuid */
            guestCartId?: string;
            deviceToken?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              accessToken: string;
              /** @description seconds */
              accessTokenExpiresIn: number;
              refreshToken: string;
              /** Format: date-time */
              refreshTokenExpiresAt: string;
              user: {
                /** Format: uuid */
                id: string;
                email: string;
                name: string;
                role: 'customer' | 'staff' | 'admin';
              };
              /** @description Keep it and send it with later logins to this account: a lockout caused by other people guessing the password does not apply to this device. */
              deviceToken?: string;
            };
          };
        };
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['def-0'];
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['def-0'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/auth/refresh': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Exchange a refresh token for a new access token and a new refresh token (rotation) */
    post: operations['refreshSession'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/auth/logout': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** End this session (revokes the refresh token family) */
    post: operations['logout'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/auth/me': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The signed-in user */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** Format: uuid */
              id: string;
              email: string;
              name: string;
              role: 'customer' | 'staff' | 'admin';
            };
          };
        };
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['def-0'];
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['def-0'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/cart': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The current cart */
    get: operations['getCart'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/cart/items/{productId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Set the quantity of a product in the cart (creates a guest cart when needed) */
    put: operations['setCartItem'];
    post?: never;
    /** Remove a product from the cart */
    delete: {
      parameters: {
        query?: never;
        header?: {
          'x-cart-id'?: string;
        };
        path: {
          productId: number;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string | null;
              items: {
                productId: number;
                slug: string;
                name: string;
                image: string | null;
                /** @description amount in poisha (1 BDT = 100 poisha) */
                unitPricePoisha: number;
                quantity: number;
                /** @description amount in poisha (1 BDT = 100 poisha) */
                lineTotalPoisha: number;
                stock: number;
                available: boolean;
              }[];
              itemCount: number;
              /** @description amount in poisha (1 BDT = 100 poisha) */
              totalPoisha: number;
            };
          };
        };
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['def-0'];
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['def-0'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/cart/merge': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Merge a guest cart into the signed-in user's cart */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** Format: uuid */
            guestCartId: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: string | null;
              items: {
                productId: number;
                slug: string;
                name: string;
                image: string | null;
                /** @description amount in poisha (1 BDT = 100 poisha) */
                unitPricePoisha: number;
                quantity: number;
                /** @description amount in poisha (1 BDT = 100 poisha) */
                lineTotalPoisha: number;
                stock: number;
                available: boolean;
              }[];
              itemCount: number;
              /** @description amount in poisha (1 BDT = 100 poisha) */
              totalPoisha: number;
            };
          };
        };
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['def-0'];
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['def-0'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/checkout': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Place an order for the contents of the cart and pay for it
     * @description Idempotent per Idempotency-Key: a retry with the same key and body returns the first result and never creates a second order. 402 means the payment was declined or timed out (stock is released, the cart is kept).
     */
    post: operations['checkout'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/orders': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your orders, newest first */
    get: {
      parameters: {
        query?: {
          limit?: number;
          cursor?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                /** Format: uuid */
                id: string;
                number: number;
                status: 'pending_payment' | 'paid' | 'processing' | 'shipped' | 'delivered' | 'cancelled' | 'payment_failed';
                /** @description amount in poisha (1 BDT = 100 poisha) */
                totalPoisha: number;
                paymentProvider: string;
                paymentReference: string | null;
                failureCode: string | null;
                shipping: {
                  name: string;
                  phone: string;
                  address: string;
                  city: string;
                };
                items: {
                  productId: number;
                  name: string;
                  /** @description amount in poisha (1 BDT = 100 poisha) */
                  unitPricePoisha: number;
                  quantity: number;
                  /** @description amount in poisha (1 BDT = 100 poisha) */
                  lineTotalPoisha: number;
                }[];
                /** Format: date-time */
                createdAt: string;
                /** Format: date-time */
                updatedAt: string;
              }[];
              nextCursor: string | null;
            };
          };
        };
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['def-0'];
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['def-0'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/orders/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One of your orders */
    get: operations['getOrder'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/orders/{id}/cancel': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Cancel one of your orders before it ships; its stock is returned and the payment refunded */
    post: operations['cancelOrder'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/admin/products': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** All products, including inactive ones, by id */
    get: {
      parameters: {
        query?: {
          q?: string;
          limit?: number;
          afterId?: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                id: number;
                sku: string;
                slug: string;
                name: string;
                brand: string;
                category: string;
                description: string;
                specs: {
                  [key: string]: string;
                };
                /** @description amount in poisha (1 BDT = 100 poisha) */
                pricePoisha: number;
                compareAtPoisha: number | null;
                stock: number;
                images: string[];
                featured: boolean;
                active: boolean;
                /** Format: date-time */
                updatedAt: string;
              }[];
              nextAfterId: number | null;
            };
          };
        };
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['def-0'];
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['def-0'];
          };
        };
      };
    };
    put?: never;
    /** Create a product */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            sku: string;
            slug: string;
            name: string;
            brand: string;
            category: string;
            pricePoisha: number;
            description?: string;
            specs?: {
              [key: string]: string;
            };
            compareAtPoisha?: number | null;
            images?: string[];
            featured?: boolean;
            active?: boolean;
            initialStock?: number;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: number;
              sku: string;
              slug: string;
              name: string;
              brand: string;
              category: string;
              description: string;
              specs: {
                [key: string]: string;
              };
              /** @description amount in poisha (1 BDT = 100 poisha) */
              pricePoisha: number;
              compareAtPoisha: number | null;
              stock: number;
              images: string[];
              featured: boolean;
              active: boolean;
              /** Format: date-time */
              updatedAt: string;
            };
          };
        };
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['def-0'];
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['def-0'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/admin/products/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Retire a product (kept for order history, hidden from the shop) */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: number;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['def-0'];
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['def-0'];
          };
        };
      };
    };
    options?: never;
    head?: never;
    /** Change product fields (stock changes go through stock adjustments) */
    patch: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: number;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            sku?: string;
            slug?: string;
            name?: string;
            brand?: string;
            category?: string;
            description?: string;
            specs?: {
              [key: string]: string;
            };
            pricePoisha?: number;
            compareAtPoisha?: number | null;
            images?: string[];
            featured?: boolean;
            active?: boolean;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: number;
              sku: string;
              slug: string;
              name: string;
              brand: string;
              category: string;
              description: string;
              specs: {
                [key: string]: string;
              };
              /** @description amount in poisha (1 BDT = 100 poisha) */
              pricePoisha: number;
              compareAtPoisha: number | null;
              stock: number;
              images: string[];
              featured: boolean;
              active: boolean;
              /** Format: date-time */
              updatedAt: string;
            };
          };
        };
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['def-0'];
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['def-0'];
          };
        };
      };
    };
    trace?: never;
  };
  '/v1/admin/products/{id}/stock-adjustments': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Stock audit trail of a product, newest first */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: number;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                id: number;
                delta: number;
                resultingStock: number;
                reason: string;
                /** Format: uuid */
                actorId: string;
                /** Format: date-time */
                createdAt: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['def-0'];
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['def-0'];
          };
        };
      };
    };
    put?: never;
    /** Change stock by a delta or to an absolute count; recorded in the audit trail */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: number;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            delta?: number;
            setTo?: number;
            reason: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              id: number;
              delta: number;
              resultingStock: number;
              reason: string;
              /** Format: uuid */
              actorId: string;
              /** Format: date-time */
              createdAt: string;
            };
          };
        };
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['def-0'];
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['def-0'];
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/admin/orders': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** All orders, newest first, optionally by status */
    get: {
      parameters: {
        query?: {
          status?: 'pending_payment' | 'paid' | 'processing' | 'shipped' | 'delivered' | 'cancelled' | 'payment_failed';
          limit?: number;
          cursor?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                /** Format: uuid */
                id: string;
                number: number;
                status: 'pending_payment' | 'paid' | 'processing' | 'shipped' | 'delivered' | 'cancelled' | 'payment_failed';
                /** @description amount in poisha (1 BDT = 100 poisha) */
                totalPoisha: number;
                paymentProvider: string;
                paymentReference: string | null;
                failureCode: string | null;
                shipping: {
                  name: string;
                  phone: string;
                  address: string;
                  city: string;
                };
                items: {
                  productId: number;
                  name: string;
                  /** @description amount in poisha (1 BDT = 100 poisha) */
                  unitPricePoisha: number;
                  quantity: number;
                  /** @description amount in poisha (1 BDT = 100 poisha) */
                  lineTotalPoisha: number;
                }[];
                /** Format: date-time */
                createdAt: string;
                /** Format: date-time */
                updatedAt: string;
              }[];
              nextCursor: string | null;
            };
          };
        };
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['def-0'];
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['def-0'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/admin/orders/{id}/status': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /** Move an order along paid → processing → shipped → delivered, or cancel it (returns stock) */
    patch: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            status: 'pending_payment' | 'paid' | 'processing' | 'shipped' | 'delivered' | 'cancelled' | 'payment_failed';
            note?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** Format: uuid */
              id: string;
              number: number;
              status: 'pending_payment' | 'paid' | 'processing' | 'shipped' | 'delivered' | 'cancelled' | 'payment_failed';
              /** @description amount in poisha (1 BDT = 100 poisha) */
              totalPoisha: number;
              paymentProvider: string;
              paymentReference: string | null;
              failureCode: string | null;
              shipping: {
                name: string;
                phone: string;
                address: string;
                city: string;
              };
              items: {
                productId: number;
                name: string;
                /** @description amount in poisha (1 BDT = 100 poisha) */
                unitPricePoisha: number;
                quantity: number;
                /** @description amount in poisha (1 BDT = 100 poisha) */
                lineTotalPoisha: number;
              }[];
              /** Format: date-time */
              createdAt: string;
              /** Format: date-time */
              updatedAt: string;
            };
          };
        };
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['def-0'];
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['def-0'];
          };
        };
      };
    };
    trace?: never;
  };
  '/v1/admin/users': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Users, oldest first */
    get: {
      parameters: {
        query?: {
          limit?: number;
          role?: 'customer' | 'staff' | 'admin';
          email?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                /** Format: uuid */
                id: string;
                email: string;
                name: string;
                role: 'customer' | 'staff' | 'admin';
                /** Format: date-time */
                createdAt: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['def-0'];
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['def-0'];
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/admin/users/{id}/role': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /** Change a user's role (signs the user out everywhere) */
    patch: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            role: 'customer' | 'staff' | 'admin';
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** Format: uuid */
              id: string;
              email: string;
              name: string;
              role: 'customer' | 'staff' | 'admin';
              /** Format: date-time */
              createdAt: string;
            };
          };
        };
        /** @description Default Response */
        '4XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['def-0'];
          };
        };
        /** @description Default Response */
        '5XX': {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': components['schemas']['def-0'];
          };
        };
      };
    };
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    /** ErrorResponse */
    'def-0': {
      error: {
        code: string;
        message: string;
        requestId: string;
        details?: unknown;
      };
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  listProducts: {
    parameters: {
      query?: {
        q?: string;
        category?: string;
        brand?: string[];
        minPrice?: number;
        maxPrice?: number;
        inStock?: boolean;
        featured?: boolean;
        discounted?: boolean;
        sort?: 'relevance' | 'price_asc' | 'price_desc' | 'newest' | 'name_asc';
        limit?: number;
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: {
              id: number;
              slug: string;
              name: string;
              brand: string;
              category: string;
              /** @description amount in poisha (1 BDT = 100 poisha) */
              pricePoisha: number;
              compareAtPoisha: number | null;
              stock: number;
              inStock: boolean;
              featured: boolean;
              image: string | null;
            }[];
            nextCursor: string | null;
          };
        };
      };
      /** @description Default Response */
      '4XX': {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['def-0'];
        };
      };
      /** @description Default Response */
      '5XX': {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['def-0'];
        };
      };
    };
  };
  getProduct: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        slug: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            id: number;
            sku: string;
            slug: string;
            name: string;
            brand: string;
            description: string;
            specs: {
              [key: string]: string;
            };
            /** @description amount in poisha (1 BDT = 100 poisha) */
            pricePoisha: number;
            compareAtPoisha: number | null;
            stock: number;
            images: string[];
            featured: boolean;
            inStock: boolean;
            category: {
              slug: string;
              name: string;
            };
          };
        };
      };
      /** @description Default Response */
      '4XX': {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['def-0'];
        };
      };
      /** @description Default Response */
      '5XX': {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['def-0'];
        };
      };
    };
  };
  refreshSession: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          refreshToken: string;
        };
      };
    };
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            accessToken: string;
            /** @description seconds */
            accessTokenExpiresIn: number;
            refreshToken: string;
            /** Format: date-time */
            refreshTokenExpiresAt: string;
            user: {
              /** Format: uuid */
              id: string;
              email: string;
              name: string;
              role: 'customer' | 'staff' | 'admin';
            };
            /** @description Keep it and send it with later logins to this account: a lockout caused by other people guessing the password does not apply to this device. */
            deviceToken?: string;
          };
        };
      };
      /** @description Default Response */
      '4XX': {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['def-0'];
        };
      };
      /** @description Default Response */
      '5XX': {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['def-0'];
        };
      };
    };
  };
  logout: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          refreshToken: string;
        };
      };
    };
    responses: {
      /** @description Default Response */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Default Response */
      '4XX': {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['def-0'];
        };
      };
      /** @description Default Response */
      '5XX': {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['def-0'];
        };
      };
    };
  };
  getCart: {
    parameters: {
      query?: never;
      header?: {
        'x-cart-id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            id: string | null;
            items: {
              productId: number;
              slug: string;
              name: string;
              image: string | null;
              /** @description amount in poisha (1 BDT = 100 poisha) */
              unitPricePoisha: number;
              quantity: number;
              /** @description amount in poisha (1 BDT = 100 poisha) */
              lineTotalPoisha: number;
              stock: number;
              available: boolean;
            }[];
            itemCount: number;
            /** @description amount in poisha (1 BDT = 100 poisha) */
            totalPoisha: number;
          };
        };
      };
      /** @description Default Response */
      '4XX': {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['def-0'];
        };
      };
      /** @description Default Response */
      '5XX': {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['def-0'];
        };
      };
    };
  };
  setCartItem: {
    parameters: {
      query?: never;
      header?: {
        'x-cart-id'?: string;
      };
      path: {
        productId: number;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          quantity: number;
        };
      };
    };
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            id: string | null;
            items: {
              productId: number;
              slug: string;
              name: string;
              image: string | null;
              /** @description amount in poisha (1 BDT = 100 poisha) */
              unitPricePoisha: number;
              quantity: number;
              /** @description amount in poisha (1 BDT = 100 poisha) */
              lineTotalPoisha: number;
              stock: number;
              available: boolean;
            }[];
            itemCount: number;
            /** @description amount in poisha (1 BDT = 100 poisha) */
            totalPoisha: number;
          };
        };
      };
      /** @description Default Response */
      '4XX': {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['def-0'];
        };
      };
      /** @description Default Response */
      '5XX': {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['def-0'];
        };
      };
    };
  };
  checkout: {
    parameters: {
      query?: never;
      header: {
        'idempotency-key': string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          shipping: {
            name: string;
            phone: string;
            address: string;
            city: string;
          };
          payment: {
            provider: 'bkash' | 'sslcommerz';
            sandboxOutcome?: 'success' | 'decline' | 'timeout';
          };
        };
      };
    };
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** Format: uuid */
            id: string;
            number: number;
            status: 'pending_payment' | 'paid' | 'processing' | 'shipped' | 'delivered' | 'cancelled' | 'payment_failed';
            /** @description amount in poisha (1 BDT = 100 poisha) */
            totalPoisha: number;
            paymentProvider: string;
            paymentReference: string | null;
            failureCode: string | null;
            shipping: {
              name: string;
              phone: string;
              address: string;
              city: string;
            };
            items: {
              productId: number;
              name: string;
              /** @description amount in poisha (1 BDT = 100 poisha) */
              unitPricePoisha: number;
              quantity: number;
              /** @description amount in poisha (1 BDT = 100 poisha) */
              lineTotalPoisha: number;
            }[];
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
          };
        };
      };
      /** @description Default Response */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** Format: uuid */
            id: string;
            number: number;
            status: 'pending_payment' | 'paid' | 'processing' | 'shipped' | 'delivered' | 'cancelled' | 'payment_failed';
            /** @description amount in poisha (1 BDT = 100 poisha) */
            totalPoisha: number;
            paymentProvider: string;
            paymentReference: string | null;
            failureCode: string | null;
            shipping: {
              name: string;
              phone: string;
              address: string;
              city: string;
            };
            items: {
              productId: number;
              name: string;
              /** @description amount in poisha (1 BDT = 100 poisha) */
              unitPricePoisha: number;
              quantity: number;
              /** @description amount in poisha (1 BDT = 100 poisha) */
              lineTotalPoisha: number;
            }[];
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
          };
        };
      };
      /** @description payment declined or timed out (PAYMENT_DECLINED, PAYMENT_TIMEOUT) */
      402: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['def-0'];
        };
      };
      /** @description OUT_OF_STOCK or CHECKOUT_IN_PROGRESS */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['def-0'];
        };
      };
      /** @description Default Response */
      '4XX': {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['def-0'];
        };
      };
      /** @description Default Response */
      '5XX': {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['def-0'];
        };
      };
    };
  };
  getOrder: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** Format: uuid */
            id: string;
            number: number;
            status: 'pending_payment' | 'paid' | 'processing' | 'shipped' | 'delivered' | 'cancelled' | 'payment_failed';
            /** @description amount in poisha (1 BDT = 100 poisha) */
            totalPoisha: number;
            paymentProvider: string;
            paymentReference: string | null;
            failureCode: string | null;
            shipping: {
              name: string;
              phone: string;
              address: string;
              city: string;
            };
            items: {
              productId: number;
              name: string;
              /** @description amount in poisha (1 BDT = 100 poisha) */
              unitPricePoisha: number;
              quantity: number;
              /** @description amount in poisha (1 BDT = 100 poisha) */
              lineTotalPoisha: number;
            }[];
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
          };
        };
      };
      /** @description Default Response */
      '4XX': {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['def-0'];
        };
      };
      /** @description Default Response */
      '5XX': {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['def-0'];
        };
      };
    };
  };
  cancelOrder: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** Format: uuid */
            id: string;
            number: number;
            status: 'pending_payment' | 'paid' | 'processing' | 'shipped' | 'delivered' | 'cancelled' | 'payment_failed';
            /** @description amount in poisha (1 BDT = 100 poisha) */
            totalPoisha: number;
            paymentProvider: string;
            paymentReference: string | null;
            failureCode: string | null;
            shipping: {
              name: string;
              phone: string;
              address: string;
              city: string;
            };
            items: {
              productId: number;
              name: string;
              /** @description amount in poisha (1 BDT = 100 poisha) */
              unitPricePoisha: number;
              quantity: number;
              /** @description amount in poisha (1 BDT = 100 poisha) */
              lineTotalPoisha: number;
            }[];
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
          };
        };
      };
      /** @description Default Response */
      '4XX': {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['def-0'];
        };
      };
      /** @description Default Response */
      '5XX': {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['def-0'];
        };
      };
    };
  };
}
